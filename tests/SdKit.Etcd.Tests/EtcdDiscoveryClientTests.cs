using SdKit.Client;
using SdKit.Etcd.Tests.TestSupport;
using SdKit.Testing.Etcd;

namespace SdKit.Etcd.Tests;

[Collection(SingleMemberCollection.Name)]
public sealed class EtcdDiscoveryClientTests(EtcdSingleMemberFixture etcd)
{
    [Fact]
    public async Task ConnectAsync_ReachableMember_StartsConnectedWithALease()
    {
        await using var client = await Clients.ConnectAsync(etcd.Cluster);
        using var states = new StateRecorder(client);

        Assert.Equal(ConnectionState.Connected, client.State);
        Assert.Equal([ConnectionState.Connected], states.States);
        Assert.Contains(client.LeaseId!.Value, await etcd.Cluster.Ctl.LeasesAsync());
    }

    [Fact]
    public async Task RegisterAsync_ThenListAsync_ReturnsTheInstance()
    {
        await using var client = await Clients.ConnectAsync(etcd.Cluster);
        var path = Clients.NewServicePath();

        var registration = await client.RegisterAsync(new ServiceEntry(path, "127.0.0.1:8080"));

        Assert.Equal(["127.0.0.1:8080"], await client.ListAsync(path));
        Assert.StartsWith(path + "/", registration.Key, StringComparison.Ordinal);
        Assert.Equal(client.LeaseId, registration.Generation);
    }

    [Fact]
    public async Task RegisterAsync_WithId_WritesServicePathSlashIdWithTheLease()
    {
        await using var client = await Clients.ConnectAsync(etcd.Cluster);
        var path = Clients.NewServicePath();

        var registration = await client.RegisterAsync(new ServiceEntry(path, "10.0.0.1:9000") { Id = "node-1" });

        Assert.Equal(path + "/node-1", registration.Key);
        var json = await etcd.Cluster.Ctl.RunAsync("get", "--write-out=json", path + "/node-1");
        using var document = System.Text.Json.JsonDocument.Parse(json);
        var kv = document.RootElement.GetProperty("kvs")[0];
        Assert.Equal("10.0.0.1:9000", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(kv.GetProperty("value").GetString()!)));
        Assert.Equal(client.LeaseId, kv.GetProperty("lease").GetInt64());
    }

    [Fact]
    public async Task RegisterAsync_SameEntryTwice_RegistersTwoEntries()
    {
        await using var client = await Clients.ConnectAsync(etcd.Cluster);
        var path = Clients.NewServicePath();
        var entry = new ServiceEntry(path, "127.0.0.1:8080");

        var first = await client.RegisterAsync(entry);
        var second = await client.RegisterAsync(entry);

        Assert.NotEqual(first.Key, second.Key);
        Assert.Equal(["127.0.0.1:8080", "127.0.0.1:8080"], await client.ListAsync(path));
    }

    [Fact]
    public async Task WatchAsync_RegisterAndDeregister_YieldsFullSnapshots()
    {
        await using var registering = await Clients.ConnectAsync(etcd.Cluster);
        await using var watching = await Clients.ConnectAsync(etcd.Cluster);
        var path = Clients.NewServicePath();
        await using var watch = new WatchRecorder(watching, path);
        await watch.WaitForAsync();

        var a = await registering.RegisterAsync(new ServiceEntry(path, "a:1"));
        await watch.WaitForAsync("a:1");
        var b = await registering.RegisterAsync(new ServiceEntry(path, "b:2"));
        await watch.WaitForAsync("a:1", "b:2");
        await registering.DeregisterAsync(a);
        await watch.WaitForAsync("b:2");
        await registering.DeregisterAsync(b);
        await watch.WaitForAsync();
    }

    [Fact]
    public async Task WatchAsync_SiblingPathSharingTheTextPrefix_IsNotMatched()
    {
        await using var client = await Clients.ConnectAsync(etcd.Cluster);
        var root = Clients.NewServicePath();
        await using var watch = new WatchRecorder(client, root + "/foo");
        await watch.WaitForAsync();

        await client.RegisterAsync(new ServiceEntry(root + "/foobar", "foobar:1"));
        await etcd.Cluster.Ctl.PutAsync(root + "/foo/nested/deeper", "nested:1");
        await client.RegisterAsync(new ServiceEntry(root + "/foo", "foo:1"));

        await watch.WaitForAsync("foo:1");
        Assert.All(watch.Seen, s => Assert.DoesNotContain("foobar:1", s));
        Assert.Equal(["foo:1"], await client.ListAsync(root + "/foo"));
    }

    [Fact]
    public async Task WatchAsync_SeedLayoutWithoutLeadingSlash_YieldsTheJsonValues()
    {
        // The seed's Go service: key services/<name>, value {"IP":"..."}, a 5-second lease kept alive.
        await using var client = await Clients.ConnectAsync(etcd.Cluster);
        await using var holder = await EtcdLeaseHolder.StartAsync(etcd.Cluster, "services/s-test", """{"IP":"192.168.1.26"}""", ttlSeconds: 5);
        await using var watch = new WatchRecorder(client, "services");

        await watch.WaitForAsync("""{"IP":"192.168.1.26"}""");
        await etcd.Cluster.Ctl.RevokeAsync(holder.LeaseId);
        await watch.WaitForAsync();
    }

    [Fact]
    public async Task DeregisterAsync_Twice_SucceedsAndLeavesOtherEntries()
    {
        await using var client = await Clients.ConnectAsync(etcd.Cluster);
        var path = Clients.NewServicePath();
        var mine = await client.RegisterAsync(new ServiceEntry(path, "mine:1"));
        await client.RegisterAsync(new ServiceEntry(path, "other:1"));

        await client.DeregisterAsync(mine);
        await client.DeregisterAsync(mine);

        Assert.Equal(["other:1"], await client.ListAsync(path));
    }

    [Fact]
    public async Task DeregisterAsync_KeyDeletedByOthers_Succeeds()
    {
        await using var client = await Clients.ConnectAsync(etcd.Cluster);
        var path = Clients.NewServicePath();
        var registration = await client.RegisterAsync(new ServiceEntry(path, "gone:1"));
        await etcd.Cluster.Ctl.RunAsync("del", registration.Key);

        await client.DeregisterAsync(registration);

        Assert.Empty(await client.ListAsync(path));
    }

    [Fact]
    public async Task DeregisterAsync_WhileWatchingOnTheSameClient_KeepsTheWatchGoing()
    {
        await using var client = await Clients.ConnectAsync(etcd.Cluster);
        var path = Clients.NewServicePath();
        await using var watch = new WatchRecorder(client, path);
        await watch.WaitForAsync();
        var first = await client.RegisterAsync(new ServiceEntry(path, "first:1"));
        await watch.WaitForAsync("first:1");

        await client.DeregisterAsync(first);
        await watch.WaitForAsync();
        await client.RegisterAsync(new ServiceEntry(path, "second:1"));

        await watch.WaitForAsync("second:1");
    }

    [Fact]
    public async Task DisposeAsync_RegisteringClient_RevokesTheLeaseSoEntriesVanishBeforeTheTtl()
    {
        await using var watching = await Clients.ConnectAsync(etcd.Cluster);
        var registering = await Clients.ConnectAsync(etcd.Cluster, ttlSeconds: 60);
        using var states = new StateRecorder(registering);
        var path = Clients.NewServicePath();
        await using var watch = new WatchRecorder(watching, path);
        await registering.RegisterAsync(new ServiceEntry(path, "short-lived:1"));
        await watch.WaitForAsync("short-lived:1");
        var lease = registering.LeaseId!.Value;

        await registering.DisposeAsync();

        await watch.WaitForAsync(s => s.Count == 0, "empty", TimeSpan.FromSeconds(10));
        Assert.DoesNotContain(lease, await etcd.Cluster.Ctl.LeasesAsync());
        Assert.Equal(ConnectionState.Closed, registering.State);
        Assert.Equal(ConnectionState.Closed, states.States[^1]);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await registering.RegisterAsync(new ServiceEntry(path, "late:1")));
    }
}
