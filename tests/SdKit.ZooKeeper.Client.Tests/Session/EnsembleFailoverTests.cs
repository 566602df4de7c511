using SdKit.Testing.ZooKeeper;
using static SdKit.ZooKeeper.Client.Tests.TestClients;

namespace SdKit.ZooKeeper.Client.Tests.Session;

[Collection(EnsembleCollection.Name)]
public sealed class EnsembleFailoverTests(ZooKeeperEnsembleFixture fixture)
{
    [Fact]
    public async Task Session_ConnectedMemberKilled_MovesToAnotherMemberWithSessionAndWatches()
    {
        var ensemble = fixture.Ensemble;
        await using var client = await ConnectAsync(ensemble.ConnectString);
        using var states = new StateRecorder(client);
        var root = await CreateTestRootAsync(client);
        await client.CreateAsync(root + "/eph", Bytes("x"), CreateMode.Ephemeral);
        var dataWatch = await client.GetDataAndWatchAsync(root);
        var childWatch = await client.GetChildrenAndWatchAsync(root);
        // A separate subtree: ZooKeeper 3.8.0 keeps one watch mode per (connection, path), so a recursive watch on
        // root itself would swallow the one-shot child watch there (no NodeChildrenChanged for recursive watches).
        await client.CreateAsync(root + "/tree", Bytes("t"));
        await using var recursive = await client.AddWatchAsync(root + "/tree", AddWatchMode.PersistentRecursive);
        var sessionId = client.SessionId;
        var victim = ensemble.Servers.Single(s => s.ConnectString == client.ConnectedServer);
        var before = states.Count;

        await victim.KillAsync();
        try
        {
            await states.WaitForAsync(ZooKeeperSessionState.Disconnected, before, Wait);
            await states.WaitForAsync(ZooKeeperSessionState.Connected, before, TimeSpan.FromSeconds(30));
            Assert.Equal(sessionId, client.SessionId);
            Assert.NotEqual(victim.ConnectString, client.ConnectedServer);
            Assert.NotNull(await client.ExistsAsync(root + "/eph"));

            var survivor = ensemble.Servers.First(s => s.IsRunning && s.ConnectString != client.ConnectedServer);
            await using var other = await ConnectAsync(survivor.ConnectString);
            await other.SetDataAsync(root, Bytes("after failover"));
            await other.CreateAsync(root + "/new", Bytes("n"));
            await other.SetDataAsync(root + "/tree", Bytes("t2"));
            await other.CreateAsync(root + "/tree/leaf", Bytes("l"));

            Assert.Equal(new WatchedEvent(WatchedEventType.NodeDataChanged, root), await dataWatch.Changed.WaitAsync(Wait));
            Assert.Equal(new WatchedEvent(WatchedEventType.NodeChildrenChanged, root), await childWatch.Changed.WaitAsync(Wait));
            Assert.Equal(new WatchedEvent(WatchedEventType.None, root + "/tree"), await recursive.Events.ReadAsync().AsTask().WaitAsync(Wait));
            Assert.Equal(new WatchedEvent(WatchedEventType.NodeDataChanged, root + "/tree"), await recursive.Events.ReadAsync().AsTask().WaitAsync(Wait));
            Assert.Equal(new WatchedEvent(WatchedEventType.NodeCreated, root + "/tree/leaf"), await recursive.Events.ReadAsync().AsTask().WaitAsync(Wait));
            await client.SyncAsync(root);
            await client.GetDataAsync(root);
            Assert.False(recursive.Events.TryRead(out var extra), $"Unexpected extra event {extra}");
            Assert.DoesNotContain(ZooKeeperSessionState.Expired, states.States);
        }
        finally
        {
            await victim.StartAsync();
            await ensemble.WaitForQuorumAsync(TimeSpan.FromSeconds(60));
        }
    }

    [Fact]
    public async Task SyncAsync_WriteThroughOtherMember_ReadAfterSyncSeesIt()
    {
        var ensemble = fixture.Ensemble;
        await using var writer = await ConnectAsync(ensemble.Servers[0].ConnectString);
        await using var reader = await ConnectAsync(ensemble.Servers[1].ConnectString);
        var root = await CreateTestRootAsync(writer);

        await writer.SetDataAsync(root, Bytes("v2"));
        await reader.SyncAsync(root);

        Assert.Equal("v2", Text((await reader.GetDataAsync(root)).Data));
    }

    [Fact]
    public async Task ConnectAsync_FirstListedMemberDown_ConnectsToAnother()
    {
        var ensemble = fixture.Ensemble;
        var deadPort = SdKit.Testing.Network.FreePort.Next();
        await using var client = await ConnectAsync($"127.0.0.1:{deadPort},{ensemble.Servers[2].ConnectString}");

        Assert.Equal(ensemble.Servers[2].ConnectString, client.ConnectedServer);
    }
}
