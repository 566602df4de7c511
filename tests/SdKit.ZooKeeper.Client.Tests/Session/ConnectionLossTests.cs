using SdKit.Testing.Network;
using SdKit.Testing.ZooKeeper;
using static SdKit.ZooKeeper.Client.Tests.TestClients;

namespace SdKit.ZooKeeper.Client.Tests.Session;

[Collection(StandaloneCollection.Name)]
public sealed class ConnectionLossTests(ZooKeeperServerFixture fixture)
{
    [Fact]
    public async Task Session_ConnectionCut_ReconnectsWithSameSessionAndKeepsEphemeral()
    {
        await using var proxy = LoopbackProxy.Start(fixture.Server.Port);
        await using var client = await ConnectAsync(proxy.Endpoint);
        using var states = new StateRecorder(client);
        var root = await CreateTestRootAsync(client);
        await client.CreateAsync(root + "/eph", Bytes("x"), CreateMode.Ephemeral);
        var sessionId = client.SessionId;
        var before = states.Count;

        proxy.CutAll();

        await states.WaitForAsync(ZooKeeperSessionState.Disconnected, before, Wait);
        await states.WaitForAsync(ZooKeeperSessionState.Connected, before, Wait);
        Assert.Equal(sessionId, client.SessionId);
        Assert.NotNull(await client.ExistsAsync(root + "/eph"));
        Assert.DoesNotContain(ZooKeeperSessionState.Expired, states.States);
    }

    [Fact]
    public async Task Request_PendingWhenConnectionCut_FailsWithTransientConnectionLoss()
    {
        await using var proxy = LoopbackProxy.Start(fixture.Server.Port);
        await using var client = await ConnectAsync(proxy.Endpoint);
        var root = await CreateTestRootAsync(client);

        proxy.Stall();
        var pending = client.GetDataAsync(root);
        proxy.CutAll();
        proxy.Resume();

        var error = await Assert.ThrowsAsync<ConnectionLossException>(() => pending.WaitAsync(Wait));
        Assert.True(error.IsTransient);
        Assert.Equal(root, error.Path);
        Assert.NotNull(await client.ExistsAsync(root).WaitAsync(Wait));
    }

    [Fact]
    public async Task Request_MadeWhileDisconnected_IsSentAfterReconnect()
    {
        await using var proxy = LoopbackProxy.Start(fixture.Server.Port);
        await using var client = await ConnectAsync(proxy.Endpoint);
        using var states = new StateRecorder(client);
        var root = await CreateTestRootAsync(client);
        var before = states.Count;

        proxy.Stall();
        proxy.CutAll();
        await states.WaitForAsync(ZooKeeperSessionState.Disconnected, before, Wait);
        var queued = client.SetDataAsync(root, Bytes("queued"));
        proxy.Resume();

        var stat = await queued.WaitAsync(Wait);
        Assert.Equal(1, stat.Version);
    }

    [Fact]
    public async Task Session_ServerSilent_DetectedAsDisconnectedThenRecovers()
    {
        await using var proxy = LoopbackProxy.Start(fixture.Server.Port);
        await using var client = await ConnectAsync(proxy.Endpoint);
        using var states = new StateRecorder(client);
        var before = states.Count;

        proxy.Stall();

        // The read timeout is two thirds of the 4 s session: detection must come well before the session could expire.
        await states.WaitForAsync(ZooKeeperSessionState.Disconnected, before, TimeSpan.FromSeconds(3.5));
        proxy.Resume();
        await states.WaitForAsync(ZooKeeperSessionState.Connected, before, Wait);
        Assert.NotNull(await client.ExistsAsync("/"));
    }

    [Fact]
    public async Task DataWatch_NodeChangedWhileDisconnected_FiresOnceAfterReconnect()
    {
        await using var proxy = LoopbackProxy.Start(fixture.Server.Port);
        await using var client = await ConnectAsync(proxy.Endpoint);
        await using var other = await ConnectAsync(fixture.ConnectString);
        using var states = new StateRecorder(client);
        var root = await CreateTestRootAsync(client);
        var watched = await client.GetDataAndWatchAsync(root);
        var childWatch = await client.GetChildrenAndWatchAsync(root);
        var before = states.Count;

        proxy.Stall();
        proxy.CutAll();
        await states.WaitForAsync(ZooKeeperSessionState.Disconnected, before, Wait);
        await other.SetDataAsync(root, Bytes("changed while away"));
        Assert.False(watched.Changed.IsCompleted);
        proxy.Resume();

        Assert.Equal(new WatchedEvent(WatchedEventType.NodeDataChanged, root), await watched.Changed.WaitAsync(Wait));
        Assert.False(childWatch.Changed.IsCompleted);
        await other.CreateAsync(root + "/child", Bytes("c"));
        Assert.Equal(new WatchedEvent(WatchedEventType.NodeChildrenChanged, root), await childWatch.Changed.WaitAsync(Wait));
    }

    [Fact]
    public async Task PersistentWatch_ConnectionCut_ReArmedWithoutDuplicates()
    {
        await using var proxy = LoopbackProxy.Start(fixture.Server.Port);
        await using var client = await ConnectAsync(proxy.Endpoint);
        await using var other = await ConnectAsync(fixture.ConnectString);
        using var states = new StateRecorder(client);
        var root = await CreateTestRootAsync(client);
        await using var watch = await client.AddWatchAsync(root, AddWatchMode.PersistentRecursive);
        await other.CreateAsync(root + "/a", Bytes("1"));
        Assert.Equal(new WatchedEvent(WatchedEventType.NodeCreated, root + "/a"), await watch.Events.ReadAsync().AsTask().WaitAsync(Wait));
        var before = states.Count;

        proxy.CutAll();
        await states.WaitForAsync(ZooKeeperSessionState.Connected, before + 1, Wait);
        await other.SetDataAsync(root + "/a", Bytes("2"));
        await other.CreateAsync(root + "/b", Bytes("3"));

        // Re-armed: first the marker that changes made while cut were not reported, then each later change once.
        Assert.Equal(new WatchedEvent(WatchedEventType.None, root), await watch.Events.ReadAsync().AsTask().WaitAsync(Wait));
        Assert.Equal(new WatchedEvent(WatchedEventType.NodeDataChanged, root + "/a"), await watch.Events.ReadAsync().AsTask().WaitAsync(Wait));
        Assert.Equal(new WatchedEvent(WatchedEventType.NodeCreated, root + "/b"), await watch.Events.ReadAsync().AsTask().WaitAsync(Wait));
        await client.SyncAsync(root);
        Assert.False(watch.Events.TryRead(out var extra), $"Unexpected extra event {extra}");
    }

    [Fact]
    public async Task PersistentWatch_ChangedWhileDisconnected_OnlyResumedMarkerReportsIt()
    {
        await using var proxy = LoopbackProxy.Start(fixture.Server.Port);
        await using var client = await ConnectAsync(proxy.Endpoint);
        await using var other = await ConnectAsync(fixture.ConnectString);
        using var states = new StateRecorder(client);
        var root = await CreateTestRootAsync(client);
        await using var watch = await client.AddWatchAsync(root, AddWatchMode.PersistentRecursive);
        var before = states.Count;

        proxy.Stall();
        proxy.CutAll();
        await states.WaitForAsync(ZooKeeperSessionState.Disconnected, before, Wait);
        await other.CreateAsync(root + "/missed", Bytes("m"));
        proxy.Resume();
        await states.WaitForAsync(ZooKeeperSessionState.Connected, before, Wait);

        // ZooKeeper replays nothing for persistent watches: the marker is the only sign that a re-read is due.
        Assert.Equal(new WatchedEvent(WatchedEventType.None, root), await watch.Events.ReadAsync().AsTask().WaitAsync(Wait));
        await client.SyncAsync(root);
        await client.GetDataAsync(root);
        Assert.False(watch.Events.TryRead(out var extra), $"Unexpected event {extra}");
        Assert.Equal(["missed"], (await client.GetChildrenAsync(root)).Children);
    }

    [Fact]
    public async Task Auth_ConnectionCut_CredentialsReplayedOnReconnect()
    {
        await using var proxy = LoopbackProxy.Start(fixture.Server.Port);
        await using var client = await ConnectAsync(proxy.Endpoint, o => o.Authentication.Add(ZooKeeperAuthInfo.Digest("carol", "pw")));
        using var states = new StateRecorder(client);
        var root = await CreateTestRootAsync(client);
        await client.CreateAsync(root + "/private", Bytes("x"), acl: [ZooKeeperAcl.Digest("carol", "pw", ZooKeeperPermissions.All)]);
        var before = states.Count;

        proxy.CutAll();
        await states.WaitForAsync(ZooKeeperSessionState.Connected, before + 1, Wait);

        var stat = await client.SetDataAsync(root + "/private", Bytes("still mine"));
        Assert.Equal(1, stat.Version);
    }

    [Fact]
    public async Task Watches_OneShotAndRecursiveOnSamePath_BothFireAfterReconnect()
    {
        await using var proxy = LoopbackProxy.Start(fixture.Server.Port);
        await using var client = await ConnectAsync(proxy.Endpoint);
        await using var other = await ConnectAsync(fixture.ConnectString);
        using var states = new StateRecorder(client);
        var root = await CreateTestRootAsync(client);
        var dataWatch = await client.GetDataAndWatchAsync(root);
        await using var recursive = await client.AddWatchAsync(root, AddWatchMode.PersistentRecursive);
        var before = states.Count;

        proxy.CutAll();
        await states.WaitForAsync(ZooKeeperSessionState.Connected, before + 1, Wait);
        await other.SetDataAsync(root, Bytes("after reconnect"));

        Assert.Equal(new WatchedEvent(WatchedEventType.None, root), await recursive.Events.ReadAsync().AsTask().WaitAsync(Wait));
        Assert.Equal(new WatchedEvent(WatchedEventType.NodeDataChanged, root), await recursive.Events.ReadAsync().AsTask().WaitAsync(Wait));
        Assert.Equal(new WatchedEvent(WatchedEventType.NodeDataChanged, root), await dataWatch.Changed.WaitAsync(Wait));
    }
}
