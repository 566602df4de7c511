using SdKit.Client;
using SdKit.InMemory;
using SdKit.Testing.Conformance;

namespace SdKit.Tests.InMemory;

public sealed class InMemoryDiscoveryClientTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Suspend_EntriesStayAndOperationsThrowTransient()
    {
        var registry = new InMemoryRegistry();
        await using var client = registry.CreateClient();
        await client.RegisterAsync(new ServiceEntry("/svc/a", "a:1"));

        client.Suspend();

        Assert.Equal(ConnectionState.Suspended, client.State);
        Assert.Equal(["a:1"], registry.Snapshot("/svc/a"));
        var error = await Assert.ThrowsAsync<InMemoryConnectionException>(async () => await client.ListAsync("/svc/a"));
        Assert.True(error.IsTransient);
        await Assert.ThrowsAsync<InMemoryConnectionException>(async () => await client.RegisterAsync(new ServiceEntry("/svc/a", "b:2")));
    }

    [Fact]
    public async Task Suspend_OpenWatch_FailsWithConnectionException()
    {
        await using var client = new InMemoryRegistry().CreateClient();
        await using var watch = client.WatchAsync("/svc/w").GetAsyncEnumerator();
        Assert.True(await watch.MoveNextAsync());

        client.Suspend();

        await Assert.ThrowsAsync<InMemoryConnectionException>(async () => await watch.MoveNextAsync().AsTask().WaitAsync(s_wait));
    }

    [Fact]
    public async Task LoseSession_EntriesVanishAndNewSessionAfterResume()
    {
        var registry = new InMemoryRegistry();
        await using var client = registry.CreateClient();
        await using var other = registry.CreateClient();
        await client.RegisterAsync(new ServiceEntry("/svc/l", "a:1"));
        await other.RegisterAsync(new ServiceEntry("/svc/l", "b:2"));
        var session = client.SessionId;
        var states = new ObservationRecorder<ConnectionState>();
        using var subscription = client.StateChanges.Subscribe(states);

        client.LoseSession();
        client.Resume();

        Assert.Equal(["b:2"], registry.Snapshot("/svc/l"));
        Assert.NotEqual(session, client.SessionId);
        await states.WaitForAsync(s => s == ConnectionState.Reconnected, s_wait);
        Assert.Equal([ConnectionState.Connected, ConnectionState.Lost, ConnectionState.Reconnected], states.Values);
        var handle = await client.RegisterAsync(new ServiceEntry("/svc/l", "a:1"));
        Assert.Equal(client.SessionId, handle.Generation);
    }

    [Fact]
    public async Task DeregisterAsync_HandleOfLostSession_LeavesNewEntryAlone()
    {
        var registry = new InMemoryRegistry();
        await using var client = registry.CreateClient();
        var old = await client.RegisterAsync(new ServiceEntry("/svc/h", "a:1") { Id = "fixed" });
        client.LoseSession();
        client.Resume();
        await client.RegisterAsync(new ServiceEntry("/svc/h", "a:1") { Id = "fixed" });

        await client.DeregisterAsync(old);

        Assert.Equal(["a:1"], registry.Snapshot("/svc/h"));
    }

    [Fact]
    public async Task DeregisterAsync_AnotherClientsHandle_RemovesNothing()
    {
        var registry = new InMemoryRegistry();
        await using var owner = registry.CreateClient();
        await using var stranger = registry.CreateClient();
        var handle = await owner.RegisterAsync(new ServiceEntry("/svc/o", "a:1"));

        await stranger.DeregisterAsync(handle);

        Assert.Equal(["a:1"], registry.Snapshot("/svc/o"));
    }

    [Fact]
    public async Task Resume_WhenConnected_DoesNothing()
    {
        await using var client = new InMemoryRegistry().CreateClient();
        var states = new ObservationRecorder<ConnectionState>();
        using var subscription = client.StateChanges.Subscribe(states);

        client.Resume();

        Assert.Equal(ConnectionState.Connected, client.State);
        Assert.Equal([ConnectionState.Connected], states.Values);
    }

    [Fact]
    public async Task Operations_AfterDispose_ThrowObjectDisposed()
    {
        var client = new InMemoryRegistry().CreateClient();
        await client.DisposeAsync();
        await client.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await client.ListAsync("/svc/x"));
        Assert.Throws<ObjectDisposedException>(client.Suspend);
        Assert.Throws<ObjectDisposedException>(client.LoseSession);
        Assert.Equal(ConnectionState.Closed, client.State);
    }

    [Fact]
    public async Task RegisterAsync_PathsDoNotMatchByPrefix()
    {
        var registry = new InMemoryRegistry();
        await using var client = registry.CreateClient();
        await client.RegisterAsync(new ServiceEntry("/svc/foobar", "x:1"));

        Assert.Empty(await client.ListAsync("/svc/foo"));
    }
}
