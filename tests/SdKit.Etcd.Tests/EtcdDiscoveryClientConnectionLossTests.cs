using System.Globalization;
using SdKit.Client;
using SdKit.Etcd.Tests.TestSupport;
using SdKit.Testing.Etcd;
using SdKit.Testing.Network;

namespace SdKit.Etcd.Tests;

/// <summary>Cuts and stalls the client's own connections through a loopback proxy; the member itself runs on.</summary>
[Collection(SingleMemberCollection.Name)]
public sealed class EtcdDiscoveryClientConnectionLossTests(EtcdSingleMemberFixture etcd, Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TestOutputLoggerFactory _logging = new(output);
    private LoopbackProxy _proxy = null!;

    public Task InitializeAsync()
    {
        _proxy = LoopbackProxy.Start(etcd.Cluster.Members[0].ClientPort);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _proxy.DisposeAsync();

    [Fact]
    public async Task Watch_ConnectionCutWhileChangesHappen_ResumesFromTheLastRevisionWithoutLosingAChange()
    {
        await using var client = await ConnectThroughProxyAsync(ttlSeconds: 10);
        var path = Clients.NewServicePath();
        await using var watch = await WatchEstablishedAsync(client, path);

        _proxy.Stall();
        await etcd.Cluster.Ctl.PutAsync(path + "/b", "b:1");
        await etcd.Cluster.Ctl.RunAsync("del", path + "/a");
        _proxy.CutAll();
        _proxy.Resume();

        await watch.WaitForAsync("b:1", "w:1");
        Assert.DoesNotContain(watch.Seen, snapshot => snapshot.Count == 3);
        Assert.Null(watch.Error);
    }

    [Fact]
    public async Task Watch_ConnectionCutAndRevisionCompactedMeanwhile_ListsAgain()
    {
        await using var client = await ConnectThroughProxyAsync(ttlSeconds: 10);
        var path = Clients.NewServicePath();
        await using var watch = await WatchEstablishedAsync(client, path);

        _proxy.Stall();
        await etcd.Cluster.Ctl.PutAsync(path + "/c", "c:1");
        await etcd.Cluster.Ctl.RunAsync("del", path + "/a");
        await etcd.Cluster.Ctl.CompactAsync();
        _proxy.CutAll();
        _proxy.Resume();

        await watch.WaitForAsync("c:1", "w:1");
        await etcd.Cluster.Ctl.PutAsync(path + "/d", "d:1");
        await watch.WaitForAsync("c:1", "d:1", "w:1");
        Assert.Null(watch.Error);
    }

    [Fact]
    public async Task Lease_ConnectionStalledLongerThanTheTtl_ReportsLostAndGrantsANewLease()
    {
        await using var client = await ConnectThroughProxyAsync(ttlSeconds: 2);
        await using var direct = await Clients.ConnectAsync(etcd.Cluster);
        using var states = new StateRecorder(client);
        var path = Clients.NewServicePath();
        await using var watch = new WatchRecorder(direct, path);
        var before = await client.RegisterAsync(new ServiceEntry(path, "stalled:1"));
        await watch.WaitForAsync("stalled:1");

        _proxy.Stall();
        try
        {
            await watch.WaitForAsync(s => s.Count == 0, "empty (lease expired on the server)");
            await states.WaitForAsync(ConnectionState.Lost);
        }
        finally
        {
            _proxy.CutAll();
            _proxy.Resume();
        }

        await states.WaitForAsync(ConnectionState.Reconnected);
        Assert.NotEqual(before.Generation, client.LeaseId);
        Assert.DoesNotContain(before.Generation, await etcd.Cluster.Ctl.LeasesAsync());
        await client.RegisterAsync(new ServiceEntry(path, "stalled:1"));
        await watch.WaitForAsync("stalled:1");
    }

    /// <summary>Puts <c>a:1</c> under <paramref name="path"/>, watches it, and returns once the watch has seen <c>a:1</c> and <c>w:1</c>.</summary>
    private async Task<WatchRecorder> WatchEstablishedAsync(EtcdDiscoveryClient client, string path)
    {
        await etcd.Cluster.Ctl.PutAsync(path + "/a", "a:1");
        var watch = new WatchRecorder(client, path);
        try
        {
            await watch.WaitForAsync("a:1");

            // An event through the stream proves the watch is established (a gRPC call not yet answered would simply be retried).
            await etcd.Cluster.Ctl.PutAsync(path + "/w", "w:1");
            await watch.WaitForAsync("a:1", "w:1");
            return watch;
        }
        catch
        {
            await watch.DisposeAsync();
            throw;
        }
    }

    private Task<EtcdDiscoveryClient> ConnectThroughProxyAsync(int ttlSeconds)
    {
        var options = new EtcdDiscoveryOptions { LeaseTtl = TimeSpan.FromSeconds(ttlSeconds), RequestTimeout = TimeSpan.FromSeconds(10), MaxRetryDelay = TimeSpan.FromMilliseconds(500) };
        options.Endpoints.Add("http://127.0.0.1:" + _proxy.Port.ToString(CultureInfo.InvariantCulture));
        return EtcdDiscoveryClient.ConnectAsync(options, _logging);
    }
}
