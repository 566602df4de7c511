using SdKit.Client;
using SdKit.Instances;
using SdKit.Registration;
using SdKit.Testing.Conformance;
using SdKit.Testing.Network;
using SdKit.Testing.ZooKeeper;
using SdKit.ZooKeeper.Discovery;
using SdKit.ZooKeeper.Tests.Discovery.Support;
using static SdKit.ZooKeeper.Client.Tests.TestClients;

namespace SdKit.ZooKeeper.Tests.Discovery;

/// <summary>
/// <see cref="ZooKeeperDiscoveryClient.UpdateAsync"/>: setData on the registration's own node with its version, one
/// change for watchers, clear failures on a stale handle, and the registrar writing the latest string after expiry.
/// </summary>
[Collection(StandaloneCollection.Name)]
public sealed class UpdateInPlaceTests(ZooKeeperServerFixture fixture) : IAsyncLifetime
{
    private readonly CancellationTokenSource _testEnd = new();
    private LoopbackProxy _proxy = null!;
    private ZooKeeperDiscoveryClient _watcher = null!;

    public async Task InitializeAsync()
    {
        _proxy = LoopbackProxy.Start(fixture.Server.Port);
        _watcher = await DiscoveryClients.ConnectAsync(fixture.ConnectString);
    }

    public async Task DisposeAsync()
    {
        await _testEnd.CancelAsync();
        await _watcher.DisposeAsync();
        await _proxy.DisposeAsync();
        _testEnd.Dispose();
    }

    [Theory]
    [InlineData(ZooKeeperNodeLayout.Protected)]
    [InlineData(ZooKeeperNodeLayout.Curator)]
    public async Task UpdateAsync_SetsTheDataOfTheSameNode_WatchersSeeOneChange(ZooKeeperNodeLayout layout)
    {
        var path = DiscoveryClients.NewServicePath();
        await using var client = await DiscoveryClients.ConnectAsync(fixture.ConnectString, o => o.Layout = layout);
        await using var instancer = new Instancer(_watcher, path);
        var events = new ObservationRecorder<InstanceEvent>();
        using var subscription = instancer.Subscribe(events);
        var first = await client.RegisterAsync(new ServiceEntry(path, "v1") { Id = "node-1" });
        await events.WaitForAsync(e => e.Instances.SequenceEqual(["v1"]), DiscoveryClients.Wait);
        var mark = events.Values.Count;

        var second = await client.UpdateAsync(first, "v2");

        await events.WaitForNextAsync(mark, e => e.Instances.SequenceEqual(["v2"]), DiscoveryClients.Wait);
        Assert.Equal(first.Key, second.Key);
        Assert.Equal(first.Generation, second.Generation);
        Assert.Equal(first.Version + 1, second.Version);
        Assert.Equal("v2", second.Entry.Instance);
        Assert.Equal("node-1", second.Entry.Id);
        var node = await _watcher.ZooKeeper.GetDataAsync(first.Key);
        Assert.Equal("v2", Text(node.Data));
        Assert.Equal(client.ZooKeeper.SessionId, node.Stat.EphemeralOwner);
        // One change: the old string replaced by the new one, never a gap or both at once.
        Assert.Equal([["v2"]], events.Values.Skip(mark).Select(e => e.Instances.ToArray()));
        await client.DeregisterAsync(second);
        await events.WaitForNextAsync(mark, e => e.Instances.IsEmpty, DiscoveryClients.Wait);
    }

    [Fact]
    public async Task UpdateAsync_StaleHandle_FailsWithAVersionConflictAndWritesNothing()
    {
        var path = DiscoveryClients.NewServicePath();
        await using var client = await DiscoveryClients.ConnectAsync(fixture.ConnectString);
        var first = await client.RegisterAsync(new ServiceEntry(path, "v1"));
        await client.UpdateAsync(first, "v2");

        var error = await Assert.ThrowsAsync<ZooKeeperDiscoveryException>(async () => await client.UpdateAsync(first, "v3"));

        Assert.IsType<BadVersionException>(error.InnerException);
        Assert.Contains(first.Key, error.Message, StringComparison.Ordinal);
        Assert.Contains("version 0", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsTransient);
        Assert.Equal(["v2"], await _watcher.ListAsync(path));
    }

    [Fact]
    public async Task UpdateAsync_Deregistered_FailsNamingTheNode()
    {
        var path = DiscoveryClients.NewServicePath();
        await using var client = await DiscoveryClients.ConnectAsync(fixture.ConnectString);
        var handle = await client.RegisterAsync(new ServiceEntry(path, "v1"));
        await client.DeregisterAsync(handle);

        var error = await Assert.ThrowsAsync<ZooKeeperDiscoveryException>(async () => await client.UpdateAsync(handle, "v2"));

        Assert.IsType<NoNodeException>(error.InnerException);
        Assert.Contains(handle.Key, error.Message, StringComparison.Ordinal);
        Assert.Empty(await _watcher.ListAsync(path));
    }

    [Fact]
    public async Task UpdateAsync_NamedLayout_IsNotSupported()
    {
        var path = DiscoveryClients.NewServicePath();
        await using var client = await DiscoveryClients.ConnectAsync(fixture.ConnectString, o => o.Layout = ZooKeeperNodeLayout.Named);
        var handle = await client.RegisterAsync(new ServiceEntry(path, "127.0.0.1:8897"));

        var error = await Assert.ThrowsAsync<NotSupportedException>(async () => await client.UpdateAsync(handle, "127.0.0.1:8898"));

        Assert.Contains(handle.Key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CuratorLayout_EntryWithoutId_IsRejectedNamingIt()
    {
        var path = DiscoveryClients.NewServicePath();
        await using var client = await DiscoveryClients.ConnectAsync(fixture.ConnectString, o => o.Layout = ZooKeeperNodeLayout.Curator);

        var error = await Assert.ThrowsAsync<ArgumentException>(async () => await client.RegisterAsync(new ServiceEntry(path, "{}")));

        Assert.Contains("has none; set ServiceEntry.Id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registrar_UpdatedThenSessionExpired_RegistersTheLatestString()
    {
        var path = DiscoveryClients.NewServicePath();
        await using var client = await DiscoveryClients.ConnectAsync(_proxy.Endpoint, sessionTimeout: TimeSpan.FromSeconds(1));
        var options = new RegistrarOptions { Backoff = new BackoffOptions { InitialDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromSeconds(1) } };
        await using var registrar = new Registrar(client, new ServiceEntry(path, "weight=1"), options);
        var states = new ObservationRecorder<RegistrationState>();
        using var subscription = registrar.StateChanges.Subscribe(states);
        await registrar.RegisterAsync();
        var snapshots = DiscoveryClients.Watch(_watcher, path, _testEnd.Token);
        await snapshots.WaitForAsync("weight=1");

        await registrar.UpdateAsync("weight=5");
        await snapshots.WaitForAsync("weight=5");
        Assert.Equal("weight=5", registrar.Entry.Instance);
        Assert.Equal(RegistrationState.Registered, registrar.State);
        var first = registrar.Registration!;

        _proxy.Stall();
        _proxy.CutAll();
        await snapshots.WaitForAsync();
        var mark = snapshots.Values.Count;
        _proxy.Resume();

        await snapshots.WaitForNextAsync(mark, s => s.SequenceEqual(["weight=5"]), DiscoveryClients.Wait);
        await states.WaitForAsync(s => s == RegistrationState.Lost, DiscoveryClients.Wait);
        await states.WaitForNextAsync(states.Values.ToList().IndexOf(RegistrationState.Lost), s => s == RegistrationState.Registered, DiscoveryClients.Wait);
        Assert.NotEqual(first.Generation, registrar.Registration!.Generation);
        Assert.Equal("weight=5", registrar.Registration.Entry.Instance);
        Assert.DoesNotContain(snapshots.Values.Skip(mark), s => s.Contains("weight=1"));
    }
}
