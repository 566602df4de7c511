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
/// <see cref="ZooKeeperWatchMode.Children"/> sees updates in place: every child it reads carries a data watch of its
/// own (getData with a watch, or a multiRead batch followed by one SetWatches), re-read when it fires; the watches
/// survive a reconnect and are armed again on a new session.
/// </summary>
[Collection(StandaloneCollection.Name)]
public sealed class ChildrenWatchUpdateTests(ZooKeeperServerFixture fixture) : RawSessionTest(fixture)
{
    private static void ChildrenMode(ZooKeeperDiscoveryOptions options) => options.WatchMode = ZooKeeperWatchMode.Children;

    [Fact]
    public async Task ChildrenMode_RegistrarUpdatesInPlace_WatcherSeesExactlyOneChangeWithTheNewValue()
    {
        var path = DiscoveryClients.NewServicePath();
        await using var watcher = await DiscoveryClients.ConnectAsync(Fixture.ConnectString, ChildrenMode);
        await using var registering = await DiscoveryClients.ConnectAsync(Fixture.ConnectString);
        await using var instancer = new Instancer(watcher, path);
        var events = new ObservationRecorder<InstanceEvent>();
        using var subscription = instancer.Subscribe(events);
        await using var registrar = new Registrar(registering, new ServiceEntry(path, "10.0.0.1:80;weight=1"));
        await registrar.RegisterAsync();
        await events.WaitForAsync(e => e.Instances.SequenceEqual(["10.0.0.1:80;weight=1"]), DiscoveryClients.Wait);
        var mark = events.Values.Count;

        await registrar.UpdateAsync("10.0.0.1:80;weight=5");
        await events.WaitForNextAsync(mark, e => e.Instances.SequenceEqual(["10.0.0.1:80;weight=5"]), DiscoveryClients.Wait);

        // A later, unrelated change closes the window: between the two, exactly one event, the new value in place.
        var other = await registering.RegisterAsync(new ServiceEntry(path, "10.0.0.2:80"));
        await events.WaitForNextAsync(mark, e => e.Instances.Length == 2, DiscoveryClients.Wait);
        Assert.Equal(
            [["10.0.0.1:80;weight=5"], ["10.0.0.1:80;weight=5", "10.0.0.2:80"]],
            events.Values.Skip(mark).Select(e => e.Instances.ToArray()));
        Assert.All(events.Values, e => Assert.Null(e.Error));

        // The re-read re-armed the watch: a second update is seen as well.
        await registrar.UpdateAsync("10.0.0.1:80;weight=9");
        await events.WaitForNextAsync(mark, e => e.Instances.SequenceEqual(["10.0.0.1:80;weight=9", "10.0.0.2:80"]), DiscoveryClients.Wait);
        await registering.DeregisterAsync(other);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    public async Task ChildrenMode_ManyChildrenReadSinglyOrInBatches_EachUpdateSeen(int readBatchSize)
    {
        var path = await CreateServicePathAsync();
        for (var i = 0; i < 40; i++)
        {
            await Raw.CreateAsync($"{path}/n{i:D2}", Bytes($"10.0.1.{i}:80"));
        }

        await using var client = await DiscoveryClients.ConnectAsync(Fixture.ConnectString, o =>
        {
            ChildrenMode(o);
            o.ReadBatchSize = readBatchSize;
        });
        var snapshots = DiscoveryClients.Watch(client, path, TestEnd);
        await snapshots.WaitForAsync(s => s.Length == 40, DiscoveryClients.Wait);

        // One node of the first batch, one of the last (a partial batch), and two at once.
        await Raw.SetDataAsync($"{path}/n03", Bytes("10.0.1.3:81"));
        await snapshots.WaitForAsync(s => s.Contains("10.0.1.3:81"), DiscoveryClients.Wait);
        await Raw.SetDataAsync($"{path}/n39", Bytes("10.0.1.39:81"));
        await Raw.SetDataAsync($"{path}/n20", Bytes("10.0.1.20:81"));
        var last = await snapshots.WaitForAsync(s => s.Contains("10.0.1.39:81") && s.Contains("10.0.1.20:81"), DiscoveryClients.Wait);

        Assert.Equal(40, last.Length);
        Assert.DoesNotContain("10.0.1.3:80", last);
        Assert.DoesNotContain("10.0.1.39:80", last);
        Assert.DoesNotContain("10.0.1.20:80", last);
        Assert.Null(snapshots.Error);
    }

    [Fact]
    public async Task ChildrenMode_NodeDeletedRightAfterItsDataChanged_ForgottenWithoutAnError()
    {
        var path = await CreateServicePathAsync();
        await Raw.CreateAsync(path + "/a", Bytes("10.0.0.1:80"));
        await Raw.CreateAsync(path + "/b", Bytes("10.0.0.2:80"));
        await using var client = await DiscoveryClients.ConnectAsync(Fixture.ConnectString, ChildrenMode);
        var snapshots = DiscoveryClients.Watch(client, path, TestEnd);
        await snapshots.WaitForAsync("10.0.0.1:80", "10.0.0.2:80");
        var mark = snapshots.Values.Count;

        // Both requests are in flight together: the data watch fires, and its re-read finds no node.
        await Task.WhenAll(Raw.SetDataAsync(path + "/a", Bytes("10.0.0.1:81")), Raw.DeleteAsync(path + "/a"));
        await snapshots.WaitForNextAsync(mark, s => s.SequenceEqual(["10.0.0.2:80"]), DiscoveryClients.Wait);

        // The watch goes on: a node created under the same name afterwards is read with its new data.
        await Raw.CreateAsync(path + "/a", Bytes("10.0.0.1:82"));
        await snapshots.WaitForAsync("10.0.0.1:82", "10.0.0.2:80");
        Assert.All(snapshots.Values.Skip(mark), s => Assert.DoesNotContain("10.0.0.1:80", s));
        Assert.Null(snapshots.Error);
    }

    [Fact]
    public async Task ChildrenMode_DataChangedWhileDisconnected_SeenAfterReconnectOnTheSameSession()
    {
        var path = await CreateServicePathAsync();
        await Raw.CreateAsync(path + "/a", Bytes("10.0.0.1:80"));
        await Raw.CreateAsync(path + "/b", Bytes("10.0.0.2:80"));
        await using var proxy = LoopbackProxy.Start(Fixture.Server.Port);
        await using var client = await DiscoveryClients.ConnectAsync(proxy.Endpoint, ChildrenMode, sessionTimeout: TimeSpan.FromSeconds(10));
        var states = new ObservationRecorder<ConnectionState>();
        using var subscription = client.StateChanges.Subscribe(states);
        var snapshots = DiscoveryClients.Watch(client, path, TestEnd);
        await snapshots.WaitForAsync("10.0.0.1:80", "10.0.0.2:80");
        var session = client.ZooKeeper.SessionId;

        proxy.Stall();
        proxy.CutAll();
        await states.WaitForAsync(s => s == ConnectionState.Suspended, DiscoveryClients.Wait);
        await Raw.SetDataAsync(path + "/b", Bytes("10.0.0.2:81"));
        proxy.Resume();

        // The session's SetWatches re-arms the data watches relative to the last zxid seen: the server reports the
        // change it missed, and the node is read again.
        await snapshots.WaitForAsync("10.0.0.1:80", "10.0.0.2:81");
        Assert.Equal(session, client.ZooKeeper.SessionId);
        Assert.Null(snapshots.Error);

        await Raw.SetDataAsync(path + "/a", Bytes("10.0.0.1:81"));
        await snapshots.WaitForAsync("10.0.0.1:81", "10.0.0.2:81");
    }

    [Fact]
    public async Task ChildrenMode_SessionExpired_InstancerWatchesAgainWithDataWatchesArmed()
    {
        var path = await CreateServicePathAsync();
        await Raw.CreateAsync(path + "/a", Bytes("10.0.0.1:80"));
        await using var proxy = LoopbackProxy.Start(Fixture.Server.Port);
        await using var client = await DiscoveryClients.ConnectAsync(proxy.Endpoint, ChildrenMode, sessionTimeout: TimeSpan.FromSeconds(1));
        var options = new InstancerOptions { Backoff = new BackoffOptions { InitialDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromSeconds(1) } };
        await using var instancer = new Instancer(client, path, options);
        var events = new ObservationRecorder<InstanceEvent>();
        using var subscription = instancer.Subscribe(events);
        await events.WaitForAsync(e => e.Instances.SequenceEqual(["10.0.0.1:80"]), DiscoveryClients.Wait);
        var session = client.ZooKeeper.SessionId;
        var states = new ObservationRecorder<ConnectionState>();
        using var stateSubscription = client.StateChanges.Subscribe(states);

        // An ephemeral node of the watching session tells when the server has expired it (not only the client).
        var marker = await client.RegisterAsync(new ServiceEntry(DiscoveryClients.NewServicePath(), "marker"));
        var markerWatch = await Raw.ExistsAndWatchAsync(marker.Key);
        Assert.NotNull(markerWatch.Value);

        proxy.Stall();
        proxy.CutAll();
        await states.WaitForAsync(s => s == ConnectionState.Lost, DiscoveryClients.Wait);
        Assert.Equal(WatchedEventType.NodeDeleted, (await markerWatch.Changed.WaitAsync(DiscoveryClients.Wait)).Type);
        await Raw.SetDataAsync(path + "/a", Bytes("10.0.0.1:81"));
        proxy.Resume();

        // The old session is expired: its watches fail, and the Instancer makes the watch again on the new session,
        // which reads (and watches) the node anew.
        await events.WaitForAsync(e => e.Error is not null, DiscoveryClients.Wait);
        await events.WaitForAsync(e => e.Error is null && e.Instances.SequenceEqual(["10.0.0.1:81"]), DiscoveryClients.Wait);
        Assert.NotEqual(session, client.ZooKeeper.SessionId);

        await Raw.SetDataAsync(path + "/a", Bytes("10.0.0.1:82"));
        await events.WaitForAsync(e => e.Error is null && e.Instances.SequenceEqual(["10.0.0.1:82"]), DiscoveryClients.Wait);
    }
}
