using SdKit.Client;
using SdKit.Testing.Conformance;
using SdKit.Testing.Network;
using SdKit.Testing.ZooKeeper;
using SdKit.ZooKeeper.Discovery;
using SdKit.ZooKeeper.Tests.Discovery.Support;
using static SdKit.ZooKeeper.Tests.TestClients;

namespace SdKit.ZooKeeper.Tests.Discovery;

/// <summary>
/// The persistent recursive watch (the default mode): events applied one by one, changed data read again, deeper
/// nodes ignored, and everything read again after a lost connection, since ZooKeeper replays nothing for it.
/// </summary>
[Collection(StandaloneCollection.Name)]
public sealed class RecursiveWatchTests(ZooKeeperServerFixture fixture) : RawSessionTest(fixture)
{
    [Fact]
    public async Task WatchAsync_InstanceDataChanged_YieldsTheNewData()
    {
        var path = await CreateServicePathAsync();
        await Raw.CreateAsync(path + "/a", Bytes("10.0.0.1:80"));
        await using var client = await DiscoveryClients.ConnectAsync(Fixture.ConnectString);
        var snapshots = DiscoveryClients.Watch(client, path, TestEnd);
        await snapshots.WaitForAsync("10.0.0.1:80");

        await Raw.SetDataAsync(path + "/a", Bytes("10.0.0.1:81"));

        await snapshots.WaitForAsync("10.0.0.1:81");
        Assert.Null(snapshots.Error);
    }

    [Fact]
    public async Task WatchAsync_NodesBelowInstanceNodes_Ignored()
    {
        var path = await CreateServicePathAsync();
        await Raw.CreateAsync(path + "/a", Bytes("10.0.0.1:80"));
        await using var client = await DiscoveryClients.ConnectAsync(Fixture.ConnectString);
        var snapshots = DiscoveryClients.Watch(client, path, TestEnd);
        await snapshots.WaitForAsync("10.0.0.1:80");

        await Raw.CreateAsync(path + "/a/deeper", Bytes("not an instance"));
        await Raw.SetDataAsync(path + "/a/deeper", Bytes("still not"));
        await Raw.CreateAsync(path + "/b", Bytes("10.0.0.2:80"));

        await snapshots.WaitForAsync("10.0.0.1:80", "10.0.0.2:80");
        Assert.All(snapshots.Values, s => Assert.DoesNotContain(s, i => i.Contains("not", StringComparison.Ordinal)));
        Assert.Null(snapshots.Error);
    }

    [Fact]
    public async Task WatchAsync_ChangesWhileDisconnected_ReadAgainAfterReconnect()
    {
        var path = await CreateServicePathAsync();
        await Raw.CreateAsync(path + "/a", Bytes("10.0.0.1:80"));
        await Raw.CreateAsync(path + "/b", Bytes("10.0.0.2:80"));
        await using var proxy = LoopbackProxy.Start(Fixture.Server.Port);
        await using var client = await DiscoveryClients.ConnectAsync(proxy.Endpoint, sessionTimeout: TimeSpan.FromSeconds(10));
        var states = new ObservationRecorder<ConnectionState>();
        using var subscription = client.StateChanges.Subscribe(states);
        var snapshots = DiscoveryClients.Watch(client, path, TestEnd);
        await snapshots.WaitForAsync("10.0.0.1:80", "10.0.0.2:80");

        proxy.Stall();
        proxy.CutAll();
        await states.WaitForAsync(s => s == ConnectionState.Suspended, DiscoveryClients.Wait);
        await Raw.DeleteAsync(path + "/a");
        await Raw.SetDataAsync(path + "/b", Bytes("10.0.0.2:81"));
        await Raw.CreateAsync(path + "/c", Bytes("10.0.0.3:80"));
        proxy.Resume();

        // None of these changes is replayed to a persistent watch: only a full re-read finds them.
        await snapshots.WaitForAsync("10.0.0.2:81", "10.0.0.3:80");
        Assert.Null(snapshots.Error);
    }

    [Fact]
    public async Task WatchAsync_ReadLosesTheConnection_ReadsAgainWithoutFailing()
    {
        var path = await CreateServicePathAsync();
        await Raw.CreateAsync(path + "/a", Bytes("10.0.0.1:80"));
        await using var proxy = FaultProxy.Start(Fixture.Server.Port);
        await using var client = await DiscoveryClients.ConnectAsync(proxy.Endpoint, sessionTimeout: TimeSpan.FromSeconds(10));
        var snapshots = DiscoveryClients.Watch(client, path, TestEnd);
        await snapshots.WaitForAsync("10.0.0.1:80");
        var sprung = proxy.Trap(path + "/b", forward: false);

        await Raw.CreateAsync(path + "/b", Bytes("10.0.0.2:80"));
        await sprung.WaitAsync(DiscoveryClients.Wait);
        proxy.CutAll();
        proxy.Resume();

        await snapshots.WaitForAsync("10.0.0.1:80", "10.0.0.2:80");
        Assert.Null(snapshots.Error);
    }

    [Fact]
    public async Task WatchAsync_ManyWatchersOneRegistration_EachSeesIt()
    {
        var path = await CreateServicePathAsync();
        await using var writer = await DiscoveryClients.ConnectAsync(Fixture.ConnectString);
        var clients = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => DiscoveryClients.ConnectAsync(Fixture.ConnectString)));
        try
        {
            var watches = clients.Select(c => DiscoveryClients.Watch(c, path, TestEnd)).ToArray();
            await Task.WhenAll(watches.Select(w => w.WaitForAsync()));

            var handle = await writer.RegisterAsync(new ServiceEntry(path, "10.0.0.9:80"));
            await Task.WhenAll(watches.Select(w => w.WaitForAsync("10.0.0.9:80")));
            var marks = watches.Select(w => w.Values.Count).ToArray();
            await writer.DeregisterAsync(handle);

            await Task.WhenAll(watches.Select((w, i) => w.WaitForNextAsync(marks[i], s => s.Length == 0, DiscoveryClients.Wait)));
            Assert.All(watches, w => Assert.Null(w.Error));
        }
        finally
        {
            foreach (var c in clients)
            {
                await c.DisposeAsync();
            }
        }
    }

    [Fact]
    public void Validate_WatchModeUndefined_ThrowsNamingIt()
    {
        var options = new ZooKeeperDiscoveryOptions { WatchMode = (ZooKeeperWatchMode)42 };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Equal(nameof(ZooKeeperDiscoveryOptions.WatchMode), error.ParamName);
        Assert.Contains("42", error.Message, StringComparison.Ordinal);
    }
}
