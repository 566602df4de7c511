using SdKit.Client;
using SdKit.Etcd.Tests.TestSupport;
using SdKit.Testing.Etcd;

namespace SdKit.Etcd.Tests;

[Collection(SingleMemberCollection.Name)]
public sealed class EtcdDiscoveryClientLeaseTests(EtcdSingleMemberFixture etcd)
{
    [Fact]
    public async Task Lease_RevokedByAnotherClient_ReportsLostThenReconnectedWithANewLease()
    {
        await using var client = await Clients.ConnectAsync(etcd.Cluster, ttlSeconds: 2);
        await using var watching = await Clients.ConnectAsync(etcd.Cluster);
        using var states = new StateRecorder(client);
        var path = Clients.NewServicePath();
        await using var watch = new WatchRecorder(watching, path);
        var before = await client.RegisterAsync(new ServiceEntry(path, "healing:1"));
        await watch.WaitForAsync("healing:1");

        await etcd.Cluster.Ctl.RevokeAsync(before.Generation);

        await watch.WaitForAsync();
        await states.WaitForAsync(ConnectionState.Lost);
        await states.WaitForAsync(ConnectionState.Reconnected);
        Assert.Equal([ConnectionState.Connected, ConnectionState.Lost, ConnectionState.Reconnected], states.States);
        Assert.NotEqual(before.Generation, client.LeaseId);
        var after = await client.RegisterAsync(new ServiceEntry(path, "healing:1"));
        Assert.Equal(client.LeaseId, after.Generation);
        await watch.WaitForAsync("healing:1");
    }

    [Fact]
    public async Task DeregisterAsync_StaleHandleAfterReRegistrationUnderTheSameId_KeepsTheNewEntry()
    {
        await using var client = await Clients.ConnectAsync(etcd.Cluster, ttlSeconds: 2);
        using var states = new StateRecorder(client);
        var path = Clients.NewServicePath();
        var entry = new ServiceEntry(path, "stable:1") { Id = "stable" };
        var stale = await client.RegisterAsync(entry);
        await etcd.Cluster.Ctl.RevokeAsync(stale.Generation);
        await states.WaitForAsync(ConnectionState.Reconnected);
        var current = await client.RegisterAsync(entry);

        await client.DeregisterAsync(stale);

        Assert.Equal(stale.Key, current.Key);
        Assert.Equal(["stable:1"], await client.ListAsync(path));
        await client.DeregisterAsync(current);
        Assert.Empty(await client.ListAsync(path));
    }

    [Fact]
    public async Task Watch_ProcessHoldingALeaseKilledWithoutRevoking_EntryVanishesWithinTheTtl()
    {
        await using var client = await Clients.ConnectAsync(etcd.Cluster);
        var path = Clients.NewServicePath();
        await using var holder = await EtcdLeaseHolder.StartAsync(etcd.Cluster, path + "/crashing", "crashing:1", ttlSeconds: 2);
        await using var watch = new WatchRecorder(client, path);
        await watch.WaitForAsync("crashing:1");

        await holder.KillAsync();

        // The lease runs out at most one TTL after the last keep-alive; etcd checks expiry every half second.
        await watch.WaitForAsync(s => s.Count == 0, "empty", TimeSpan.FromSeconds(2 + 2));
    }

    [Fact]
    public async Task Watch_RevisionCompactedWhileTheWatcherWasBehind_ListsAgainAndYieldsTheCurrentSet()
    {
        await using var client = await Clients.ConnectAsync(etcd.Cluster);
        var path = Clients.NewServicePath();
        await client.RegisterAsync(new ServiceEntry(path, "old:1") { Id = "old" });
        await using var watch = client.WatchAsync(path).GetAsyncEnumerator();
        Assert.True(await watch.MoveNextAsync());
        Assert.Equal(["old:1"], watch.Current);

        // The watcher has taken its listing but not opened its stream: every event after the listing is compacted away.
        await client.RegisterAsync(new ServiceEntry(path, "new:1") { Id = "new" });
        await etcd.Cluster.Ctl.RunAsync("del", path + "/old");
        await etcd.Cluster.Ctl.CompactAsync();

        Assert.True(await watch.MoveNextAsync().AsTask().WaitAsync(Timeouts.Event));
        Assert.Equal(["new:1"], watch.Current);
        await client.RegisterAsync(new ServiceEntry(path, "newer:1") { Id = "newer" });
        Assert.True(await watch.MoveNextAsync().AsTask().WaitAsync(Timeouts.Event));
        Assert.Equal(["new:1", "newer:1"], watch.Current.Order(StringComparer.Ordinal));
    }
}
