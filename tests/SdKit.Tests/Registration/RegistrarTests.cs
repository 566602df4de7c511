using SdKit.Client;
using SdKit.InMemory;
using SdKit.Registration;
using SdKit.Testing.Conformance;

namespace SdKit.Tests.Registration;

public sealed class RegistrarTests
{
    private static readonly RegistrarOptions s_fast = new()
    {
        Backoff = new BackoffOptions { InitialDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(50) },
    };

    [Fact]
    public async Task RegisterAsync_WritesEntryAndReportsRegistered()
    {
        var registry = new InMemoryRegistry();
        await using var client = registry.CreateClient();
        await using var registrar = new Registrar(client, new ServiceEntry("/svc/r", "a:1"), s_fast);
        var states = new ObservationRecorder<RegistrationState>();
        using var subscription = registrar.StateChanges.Subscribe(states);

        await registrar.RegisterAsync();

        Assert.Equal(RegistrationState.Registered, registrar.State);
        Assert.Equal(["a:1"], registry.Snapshot("/svc/r"));
        await states.WaitForAsync(s => s == RegistrationState.Registered);
        Assert.Equal([RegistrationState.Unregistered, RegistrationState.Registering, RegistrationState.Registered], states.Values);
    }

    [Fact]
    public async Task SessionLost_RegistersAgainAfterReconnect()
    {
        var registry = new InMemoryRegistry();
        await using var client = registry.CreateClient();
        await using var registrar = new Registrar(client, new ServiceEntry("/svc/lost", "a:1"), s_fast);
        var states = new ObservationRecorder<RegistrationState>();
        using var subscription = registrar.StateChanges.Subscribe(states);
        await registrar.RegisterAsync();

        client.LoseSession();
        await states.WaitForAsync(s => s == RegistrationState.Lost);
        Assert.Empty(registry.Snapshot("/svc/lost"));

        client.Resume();
        await states.WaitForNextAsync(4, s => s == RegistrationState.Registered);
        Assert.Equal(["a:1"], registry.Snapshot("/svc/lost"));
        Assert.Equal(client.SessionId, registrar.Registration!.Generation);
    }

    [Fact]
    public async Task Ctor_EntryWithoutId_FixesOneIdForEveryRegistration()
    {
        var registry = new InMemoryRegistry();
        await using var client = registry.CreateClient();
        await using var registrar = new Registrar(client, new ServiceEntry("/svc/id", "a:1"), s_fast);
        var states = new ObservationRecorder<RegistrationState>();
        using var subscription = registrar.StateChanges.Subscribe(states);
        await registrar.RegisterAsync();
        var first = registrar.Registration!.Entry.Id;

        client.LoseSession();
        await states.WaitForAsync(s => s == RegistrationState.Lost);
        client.Resume();
        await states.WaitForNextAsync(4, s => s == RegistrationState.Registered);

        // A retried write must name the same entry, or a write that landed unseen stays behind as a duplicate.
        Assert.False(string.IsNullOrEmpty(first));
        Assert.Equal(first, registrar.Entry.Id);
        Assert.Equal(first, registrar.Registration!.Entry.Id);
    }

    [Fact]
    public async Task Ctor_EntryWithId_KeepsTheCallersId()
    {
        var registry = new InMemoryRegistry();
        await using var client = registry.CreateClient();
        await using var registrar = new Registrar(client, new ServiceEntry("/svc/id2", "a:1") { Id = "mine" }, s_fast);

        await registrar.RegisterAsync();

        Assert.Equal("mine", registrar.Registration!.Entry.Id);
    }

    [Fact]
    public async Task DeregisterAsync_Twice_RemovesOnlyOwnEntryAndSucceeds()
    {
        var registry = new InMemoryRegistry();
        await using var client = registry.CreateClient();
        await using var other = new Registrar(client, new ServiceEntry("/svc/d", "b:2"), s_fast);
        await using var registrar = new Registrar(client, new ServiceEntry("/svc/d", "a:1"), s_fast);
        await other.RegisterAsync();
        await registrar.RegisterAsync();

        await registrar.DeregisterAsync();
        await registrar.DeregisterAsync();

        Assert.Equal(["b:2"], registry.Snapshot("/svc/d"));
        Assert.Equal(RegistrationState.Deregistered, registrar.State);
    }
}
