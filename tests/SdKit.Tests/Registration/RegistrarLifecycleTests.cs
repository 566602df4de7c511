using SdKit.Client;
using SdKit.InMemory;
using SdKit.Registration;
using SdKit.Testing.Conformance;

namespace SdKit.Tests.Registration;

public sealed class RegistrarLifecycleTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    private static readonly RegistrarOptions s_fast = new()
    {
        Backoff = new BackoffOptions { InitialDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(50) },
    };

    [Fact]
    public async Task Suspended_ThenReconnected_SameEntryKeptWithoutRegisteringAgain()
    {
        var registry = new InMemoryRegistry();
        await using var client = registry.CreateClient();
        await using var registrar = new Registrar(client, new ServiceEntry("/svc/s", "a:1"), s_fast);
        var states = new ObservationRecorder<RegistrationState>();
        using var subscription = registrar.StateChanges.Subscribe(states);
        await registrar.RegisterAsync();
        var key = registrar.Registration!.Key;

        client.Suspend();
        await states.WaitForAsync(s => s == RegistrationState.Suspended, s_wait);
        Assert.Equal(["a:1"], registry.Snapshot("/svc/s"));
        client.Resume();
        var resumedAt = states.Values.ToList().IndexOf(RegistrationState.Suspended) + 1;
        await states.WaitForNextAsync(resumedAt, s => s == RegistrationState.Registered, s_wait);

        Assert.Equal(key, registrar.Registration!.Key);
        Assert.Equal(["a:1"], registry.Snapshot("/svc/s"));
        Assert.DoesNotContain(RegistrationState.Registering, states.Values.Skip(resumedAt));
    }

    [Fact]
    public async Task RegisterAsync_Twice_RegistersOnce()
    {
        var registry = new InMemoryRegistry();
        await using var client = registry.CreateClient();
        await using var registrar = new Registrar(client, new ServiceEntry("/svc/once", "a:1"), s_fast);

        await registrar.RegisterAsync();
        await registrar.RegisterAsync();

        Assert.Equal(["a:1"], registry.Snapshot("/svc/once"));
    }

    [Fact]
    public async Task RegisterAsync_AfterDeregister_RegistersAgain()
    {
        var registry = new InMemoryRegistry();
        await using var client = registry.CreateClient();
        await using var registrar = new Registrar(client, new ServiceEntry("/svc/again", "a:1"), s_fast);
        await registrar.RegisterAsync();
        await registrar.DeregisterAsync();

        await registrar.RegisterAsync();

        Assert.Equal(RegistrationState.Registered, registrar.State);
        Assert.Equal(["a:1"], registry.Snapshot("/svc/again"));
    }

    [Fact]
    public async Task RegisterAsync_ClientSuspendedAtFirst_RetriesUntilReconnected()
    {
        var registry = new InMemoryRegistry();
        await using var client = registry.CreateClient();
        client.Suspend();
        await using var registrar = new Registrar(client, new ServiceEntry("/svc/wait", "a:1"), s_fast);
        var states = new ObservationRecorder<RegistrationState>();
        using var subscription = registrar.StateChanges.Subscribe(states);

        var registering = registrar.RegisterAsync();
        await states.WaitForAsync(s => s == RegistrationState.Registering, s_wait);
        Assert.False(registering.IsCompleted);
        client.Resume();
        await registering.WaitAsync(s_wait);

        Assert.Equal(["a:1"], registry.Snapshot("/svc/wait"));
    }

    [Fact]
    public async Task RegisterAsync_Cancelled_NotKeptAndStateRestored()
    {
        var registry = new InMemoryRegistry();
        await using var client = registry.CreateClient();
        client.Suspend();
        await using var registrar = new Registrar(client, new ServiceEntry("/svc/cancel", "a:1"), s_fast);
        using var cancel = new CancellationTokenSource();
        var states = new ObservationRecorder<RegistrationState>();
        using var subscription = registrar.StateChanges.Subscribe(states);

        var registering = registrar.RegisterAsync(cancel.Token);
        await states.WaitForAsync(s => s == RegistrationState.Registering, s_wait);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => registering);
        Assert.Equal(RegistrationState.Unregistered, registrar.State);
        client.Resume();
        Assert.Empty(registry.Snapshot("/svc/cancel"));
    }

    [Fact]
    public async Task DisposeAsync_WhileRegistrationRetries_StopsItAndReturns()
    {
        var registry = new InMemoryRegistry();
        await using var client = registry.CreateClient();
        client.Suspend();
        var registrar = new Registrar(client, new ServiceEntry("/svc/stuck", "a:1"), s_fast);
        var states = new ObservationRecorder<RegistrationState>();
        using var subscription = registrar.StateChanges.Subscribe(states);
        var registering = registrar.RegisterAsync();
        await states.WaitForAsync(s => s == RegistrationState.Registering, s_wait);

        await registrar.DisposeAsync().AsTask().WaitAsync(s_wait);

        await Assert.ThrowsAsync<ObjectDisposedException>(() => registering.WaitAsync(s_wait));
        client.Resume();
        Assert.Empty(registry.Snapshot("/svc/stuck"));
    }

    [Fact]
    public async Task RegisterAsync_PermanentFailure_Throws()
    {
        var registry = new InMemoryRegistry();
        var client = registry.CreateClient();
        await client.DisposeAsync();
        await using var registrar = new Registrar(client, new ServiceEntry("/svc/closed", "a:1"), s_fast);

        await Assert.ThrowsAsync<ObjectDisposedException>(() => registrar.RegisterAsync());
        Assert.Equal(RegistrationState.Unregistered, registrar.State);
    }

    [Fact]
    public async Task SessionLost_ReconnectDelayed_RetriesWithoutDuplicates()
    {
        var registry = new InMemoryRegistry();
        await using var client = registry.CreateClient();
        await using var registrar = new Registrar(client, new ServiceEntry("/svc/dup", "a:1"), s_fast);
        var states = new ObservationRecorder<RegistrationState>();
        using var subscription = registrar.StateChanges.Subscribe(states);
        await registrar.RegisterAsync();
        await states.WaitForAsync(s => s == RegistrationState.Registered, s_wait);

        for (var round = 0; round < 3; round++)
        {
            var mark = states.Values.Count;
            client.LoseSession();
            await states.WaitForNextAsync(mark, s => s == RegistrationState.Lost, s_wait);
            Assert.Empty(registry.Snapshot("/svc/dup"));
            client.Resume();
            await states.WaitForNextAsync(mark, s => s == RegistrationState.Registered, s_wait);
            Assert.Equal(["a:1"], registry.Snapshot("/svc/dup"));
        }

        Assert.Equal(client.SessionId, registrar.Registration!.Generation);
    }

    [Fact]
    public async Task DisposeAsync_Registered_RemovesEntryAndCompletesStates()
    {
        var registry = new InMemoryRegistry();
        await using var client = registry.CreateClient();
        var registrar = new Registrar(client, new ServiceEntry("/svc/dispose", "a:1"), s_fast);
        var states = new ObservationRecorder<RegistrationState>();
        using var subscription = registrar.StateChanges.Subscribe(states);
        await registrar.RegisterAsync();

        await registrar.DisposeAsync();
        await registrar.DisposeAsync();

        Assert.Empty(registry.Snapshot("/svc/dispose"));
        await states.Completed.WaitAsync(s_wait);
        Assert.Equal(RegistrationState.Deregistered, states.Values[^1]);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => registrar.RegisterAsync());
    }

    [Fact]
    public async Task DeregisterAsync_NeverRegistered_SucceedsAndStaysUnregistered()
    {
        await using var client = new InMemoryRegistry().CreateClient();
        await using var registrar = new Registrar(client, new ServiceEntry("/svc/none", "a:1"), s_fast);

        await registrar.DeregisterAsync();

        Assert.Equal(RegistrationState.Unregistered, registrar.State);
    }

    [Fact]
    public async Task ClientClosed_WhileRegistered_ReportsLost()
    {
        var registry = new InMemoryRegistry();
        var client = registry.CreateClient();
        await using var registrar = new Registrar(client, new ServiceEntry("/svc/gone", "a:1"), s_fast);
        var states = new ObservationRecorder<RegistrationState>();
        using var subscription = registrar.StateChanges.Subscribe(states);
        await registrar.RegisterAsync();

        await client.DisposeAsync();

        await states.WaitForAsync(s => s == RegistrationState.Lost, s_wait);
        Assert.Null(registrar.Registration);
    }

    [Fact]
    public async Task Ctor_InvalidArguments_Throw()
    {
        await using var client = new InMemoryRegistry().CreateClient();
        var entry = new ServiceEntry("/svc/x", "a:1");

        Assert.Throws<ArgumentNullException>(() => new Registrar(null!, entry));
        Assert.Throws<ArgumentNullException>(() => new Registrar(client, null!));
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Registrar(client, entry, new RegistrarOptions { DeregisterOnDisposeTimeout = TimeSpan.FromSeconds(-1) }));
        Assert.Equal("DeregisterOnDisposeTimeout", error.ParamName);
    }
}
