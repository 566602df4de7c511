using SdKit.Testing.Network;
using SdKit.Testing.ZooKeeper;
using static SdKit.ZooKeeper.Client.Tests.TestClients;

namespace SdKit.ZooKeeper.Client.Tests.Session;

[Collection(StandaloneCollection.Name)]
public sealed class ExpiryTests(ZooKeeperServerFixture fixture)
{
    [Fact]
    public async Task Session_CutLongerThanTimeout_ReportsExpiredThenNewSessionWorks()
    {
        await using var proxy = LoopbackProxy.Start(fixture.Server.Port);
        await using var observer = await ConnectAsync(fixture.ConnectString);
        await using var client = await ConnectAsync(proxy.Endpoint, o => o.SessionTimeout = TimeSpan.FromSeconds(1));
        using var states = new StateRecorder(client);
        var root = await CreateTestRootAsync(observer);
        await client.CreateAsync(root + "/eph", Bytes("x"), CreateMode.Ephemeral);
        var clientWatch = await client.GetDataAndWatchAsync(root);
        var ephemeralGone = (await observer.ExistsAndWatchAsync(root + "/eph")).Changed;
        var oldSession = client.SessionId;
        var before = states.Count;

        proxy.Stall();
        proxy.CutAll();
        Assert.Equal(WatchedEventType.NodeDeleted, (await ephemeralGone.WaitAsync(Wait)).Type);
        proxy.Resume();

        await states.WaitForAsync(ZooKeeperSessionState.Expired, before, Wait);
        await states.WaitForAsync(ZooKeeperSessionState.Connected, before, Wait);
        var sequence = states.States.Skip(before).ToList();
        Assert.Equal([ZooKeeperSessionState.Disconnected, ZooKeeperSessionState.Expired, ZooKeeperSessionState.Connected], sequence);
        Assert.NotEqual(oldSession, client.SessionId);
        Assert.NotEqual(0, client.SessionId);
        await Assert.ThrowsAsync<SessionExpiredException>(() => clientWatch.Changed.WaitAsync(Wait));
        var created = await client.CreateAsync(root + "/eph", Bytes("again"), CreateMode.Ephemeral);
        Assert.Equal(client.SessionId, created.Stat.EphemeralOwner);
    }

    [Fact]
    public async Task Session_ExpiredWithoutReconnect_StaysExpiredAndOperationsThrow()
    {
        await using var proxy = LoopbackProxy.Start(fixture.Server.Port);
        await using var observer = await ConnectAsync(fixture.ConnectString);
        await using var client = await ConnectAsync(proxy.Endpoint, o =>
        {
            o.SessionTimeout = TimeSpan.FromSeconds(1);
            o.ReconnectAfterExpiry = false;
        });
        using var states = new StateRecorder(client);
        var root = await CreateTestRootAsync(observer);
        await client.CreateAsync(root + "/eph", Bytes("x"), CreateMode.Ephemeral);
        var ephemeralGone = (await observer.ExistsAndWatchAsync(root + "/eph")).Changed;

        proxy.Stall();
        proxy.CutAll();
        await ephemeralGone.WaitAsync(Wait);
        proxy.Resume();

        await states.WaitForAsync(ZooKeeperSessionState.Expired, 0, Wait);
        var error = await Assert.ThrowsAsync<SessionExpiredException>(() => client.GetDataAsync(root));
        Assert.Equal(root, error.Path);
        Assert.Equal(ZooKeeperSessionState.Expired, client.State);
    }

    [Fact]
    public async Task Request_NoServerForLongerThanSessionTimeout_FailsWithConnectionLoss()
    {
        await using var proxy = LoopbackProxy.Start(fixture.Server.Port);
        await using var client = await ConnectAsync(proxy.Endpoint, o => o.SessionTimeout = TimeSpan.FromSeconds(1));
        using var states = new StateRecorder(client);
        var root = await CreateTestRootAsync(client);

        proxy.Stall();
        proxy.CutAll();
        await states.WaitForAsync(ZooKeeperSessionState.Disconnected, 0, Wait);
        var queued = client.GetDataAsync(root);

        var error = await Assert.ThrowsAsync<ConnectionLossException>(() => queued.WaitAsync(Wait));
        Assert.Equal(root, error.Path);
        proxy.Resume();
        await states.WaitForAsync(ZooKeeperSessionState.Connected, 1, Wait);
        Assert.NotNull(await client.ExistsAsync(root));
    }
}
