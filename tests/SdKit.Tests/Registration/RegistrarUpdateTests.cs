using SdKit.Client;
using SdKit.InMemory;
using SdKit.Instances;
using SdKit.Instances.Codecs;
using SdKit.Registration;
using SdKit.Testing.Conformance;

namespace SdKit.Tests.Registration;

/// <summary><see cref="Registrar.UpdateAsync"/> and the in-memory client's update in place.</summary>
public sealed class RegistrarUpdateTests
{
    private static readonly RegistrarOptions s_fast = new()
    {
        Backoff = new BackoffOptions { InitialDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(50) },
    };

    [Fact]
    public async Task UpdateAsync_Registered_ChangesTheEntryInPlace_OneEvent()
    {
        var registry = new InMemoryRegistry();
        await using var client = registry.CreateClient();
        await using var watcher = registry.CreateClient();
        var path = "/svc/update";
        var codec = InstanceFormats.CreateCodec(InstanceFormats.SdKitJson, path);
        var v1 = new ServiceInstance("a", "10.0.0.1", 80, weight: 1);
        await using var registrar = new Registrar(client, new ServiceEntry(path, codec.Encode(v1)) { Id = "a" }, s_fast);
        await using var instancer = new Instancer(watcher, path);
        await using var typed = new TypedInstancer(instancer, codec);
        var events = new ObservationRecorder<ServiceInstanceEvent>();
        using var subscription = typed.Subscribe(events);
        await registrar.RegisterAsync();
        await events.WaitForAsync(e => e.Instances.Length == 1);
        var key = registrar.Registration!.Key;
        var mark = events.Values.Count;

        await registrar.UpdateAsync(codec.Encode(new ServiceInstance("a", "10.0.0.1", 80, weight: 5, enabled: false)));

        var changed = await events.WaitForNextAsync(mark, e => e.Changed.Length == 1);
        Assert.Equal(5, changed.Instances.Single().Weight);
        Assert.False(changed.Instances.Single().Enabled);
        Assert.Empty(changed.Added);
        Assert.Empty(changed.Removed);
        Assert.Equal(key, registrar.Registration!.Key);
        Assert.Equal(RegistrationState.Registered, registrar.State);
        Assert.Single(events.Values.Skip(mark));
    }

    [Fact]
    public async Task UpdateAsync_BeforeRegister_RegistersTheNewString()
    {
        var registry = new InMemoryRegistry();
        await using var client = registry.CreateClient();
        await using var registrar = new Registrar(client, new ServiceEntry("/svc/early", "a:1"), s_fast);

        await registrar.UpdateAsync("a:2");
        await registrar.RegisterAsync();

        Assert.Equal(["a:2"], registry.Snapshot("/svc/early"));
        Assert.Equal("a:2", registrar.Entry.Instance);
    }

    [Fact]
    public async Task UpdateAsync_WhileLost_IsWrittenByTheNextRegistration()
    {
        var registry = new InMemoryRegistry();
        await using var client = registry.CreateClient();
        await using var registrar = new Registrar(client, new ServiceEntry("/svc/lost", "a:1"), s_fast);
        var states = new ObservationRecorder<RegistrationState>();
        using var subscription = registrar.StateChanges.Subscribe(states);
        await registrar.RegisterAsync();
        client.LoseSession();
        await states.WaitForAsync(s => s == RegistrationState.Lost);

        await registrar.UpdateAsync("a:2");
        client.Resume();

        await states.WaitForNextAsync(4, s => s == RegistrationState.Registered);
        Assert.Equal(["a:2"], registry.Snapshot("/svc/lost"));
    }

    [Fact]
    public async Task InMemoryUpdateAsync_StaleHandle_IsAVersionConflict()
    {
        var registry = new InMemoryRegistry();
        await using var client = registry.CreateClient();
        var first = await client.RegisterAsync(new ServiceEntry("/svc/conflict", "a:1"));
        var second = await client.UpdateAsync(first, "a:2");

        var error = await Assert.ThrowsAsync<DiscoveryException>(async () => await client.UpdateAsync(first, "a:3"));

        Assert.Contains(first.Key, error.Message, StringComparison.Ordinal);
        Assert.Contains($"not {first.Version}", error.Message, StringComparison.Ordinal);
        Assert.Equal(["a:2"], registry.Snapshot("/svc/conflict"));
        Assert.Equal("a:2", second.Entry.Instance);
    }

    [Fact]
    public async Task InMemoryUpdateAsync_Deregistered_FailsNamingTheKey()
    {
        var registry = new InMemoryRegistry();
        await using var client = registry.CreateClient();
        var handle = await client.RegisterAsync(new ServiceEntry("/svc/gone", "a:1"));
        await client.DeregisterAsync(handle);

        var error = await Assert.ThrowsAsync<DiscoveryException>(async () => await client.UpdateAsync(handle, "a:2"));

        Assert.Contains(handle.Key, error.Message, StringComparison.Ordinal);
        Assert.False(error.IsTransient);
        Assert.Empty(registry.Snapshot("/svc/gone"));
    }
}
