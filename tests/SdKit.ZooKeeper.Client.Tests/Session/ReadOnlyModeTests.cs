using SdKit.Testing.ZooKeeper;
using static SdKit.ZooKeeper.Client.Tests.TestClients;

namespace SdKit.ZooKeeper.Client.Tests.Session;

/// <summary>
/// Read-only mode against a live 3.8 ensemble started with <c>readonlymode.enabled</c> (and local sessions, without
/// which a read-only member serves nobody): two members are killed, the last one serves reads without a quorum, then
/// the two come back. Its own ensemble, since the tests take the quorum away.
/// </summary>
[Collection(ReadOnlyEnsembleCollection.Name)]
public sealed class ReadOnlyModeTests(ZooKeeperReadOnlyEnsembleFixture fixture)
{
    [Fact]
    public async Task Session_QuorumLostThenBack_ExpiresThenReadOnlySessionThenNewReadWriteSession()
    {
        var quorum = new QuorumLoss(fixture.Ensemble);
        await using var client = await ConnectAsync(quorum.Survivor.ConnectString, o => o.CanBeReadOnly = true);
        using var states = new StateRecorder(client);
        var root = await CreateTestRootAsync(client);
        await client.CreateAsync(root + "/child", Bytes("before"));
        var firstSession = client.SessionId;
        var mark = states.Count;

        await using (quorum)
        {
            await quorum.LoseAsync();

            // The local session lived in the member's read-write server, which was replaced: the read-only server
            // answers "invalid session" (expired), and the client opens a new session there.
            await states.WaitForAsync(ZooKeeperSessionState.ConnectedReadOnly, mark, QuorumLoss.Wait);
            Assert.Equal(
                [ZooKeeperSessionState.Disconnected, ZooKeeperSessionState.Expired, ZooKeeperSessionState.ConnectedReadOnly],
                states.States.Skip(mark));
            var readOnlySession = client.SessionId;
            Assert.NotEqual(firstSession, readOnlySession);
            Assert.Equal(quorum.Survivor.ConnectString, client.ConnectedServer);

            Assert.Equal("before", Text((await client.GetDataAsync(root + "/child")).Data));
            Assert.Equal(["child"], (await client.GetChildrenAsync(root)).Children);
            var refused = await Assert.ThrowsAsync<NotReadOnlyException>(() => client.SetDataAsync(root + "/child", Bytes("during")));
            Assert.Equal(root + "/child", refused.Path);
            var refusedCreate = await Assert.ThrowsAsync<NotReadOnlyException>(() => client.CreateAsync(root + "/new", Bytes("n")));
            Assert.Equal(root + "/new", refusedCreate.Path);
            Assert.Equal(ZooKeeperSessionState.ConnectedReadOnly, client.State);
            var watchedDuringReadOnly = await client.GetDataAndWatchAsync(root + "/child");

            mark = states.Count;
            await quorum.RestoreAsync();

            // The read-only server drops its clients when the member rejoins; a session that only a read-only server
            // carried is unknown to the ensemble, so the client opens a new one (no Expired is reported for it).
            await states.WaitForAsync(ZooKeeperSessionState.Connected, mark, QuorumLoss.Wait);
            Assert.Equal([ZooKeeperSessionState.Disconnected, ZooKeeperSessionState.Connected], states.States.Skip(mark));
            Assert.NotEqual(readOnlySession, client.SessionId);
            Assert.NotEqual(firstSession, client.SessionId);
            await client.CreateAsync(root + "/new", Bytes("n"));

            // The watch set on the read-only session is re-armed on the new one (SetWatches after the handshake).
            await using var other = await ConnectAsync(fixture.Ensemble.Servers[1].ConnectString);
            await other.SetDataAsync(root + "/child", Bytes("after"));
            Assert.Equal(new WatchedEvent(WatchedEventType.NodeDataChanged, root + "/child"), await watchedDuringReadOnly.Changed.WaitAsync(Wait));
            Assert.Equal("after", Text((await client.GetDataAsync(root + "/child")).Data));
        }
    }

    [Fact]
    public async Task Session_NotReadOnlyClientQuorumLost_ServerClosesConnectionAndClientStaysDisconnected()
    {
        var quorum = new QuorumLoss(fixture.Ensemble);
        await using var client = await ConnectAsync(quorum.Survivor.ConnectString, o => o.CanBeReadOnly = false);
        using var states = new StateRecorder(client);
        var root = await CreateTestRootAsync(client);
        var mark = states.Count;

        await using (quorum)
        {
            await quorum.LoseAsync();
            var refusals = await quorum.WaitForLogAsync(QuorumLoss.NotReadOnlyClientRefused, 2);

            // The server closes the socket before any answer, so the client cannot even learn that its session is gone.
            Assert.Equal(ZooKeeperSessionState.Disconnected, client.State);
            Assert.Equal([ZooKeeperSessionState.Disconnected], states.States.Skip(mark));
            var connect = await Assert.ThrowsAsync<ConnectionLossException>(() => ConnectAsync(quorum.Survivor.ConnectString, o =>
            {
                o.CanBeReadOnly = false;
                o.ConnectTimeout = TimeSpan.FromSeconds(2);
            }));
            Assert.Contains("closed the connection during the handshake", connect.Message, StringComparison.Ordinal);
            Assert.True(await quorum.WaitForLogAsync(QuorumLoss.NotReadOnlyClientRefused, refusals + 1) > refusals);
            Assert.Equal([ZooKeeperSessionState.Disconnected], states.States.Skip(mark));

            mark = states.Count;
            await quorum.RestoreAsync();

            // Back on a read-write member, the old local session is unknown there: expired, then a new session.
            await states.WaitForAsync(ZooKeeperSessionState.Connected, mark, QuorumLoss.Wait);
            Assert.Equal([ZooKeeperSessionState.Expired, ZooKeeperSessionState.Connected], states.States.Skip(mark));
            await client.SetDataAsync(root, Bytes("after"));
        }
    }

    [Fact]
    public async Task Session_GlobalSessionQuorumLost_ReadOnlyServerRefusesItUntilQuorumResumesIt()
    {
        var quorum = new QuorumLoss(fixture.Ensemble);
        await using var client = await ConnectAsync(quorum.Survivor.ConnectString, o => o.CanBeReadOnly = true);
        using var states = new StateRecorder(client);
        var root = await CreateTestRootAsync(client);

        // An ephemeral node upgrades the local session to a global one, known to every member.
        await client.CreateAsync(root + "/eph", Bytes("e"), CreateMode.Ephemeral);
        var sessionId = client.SessionId;
        var mark = states.Count;

        await using (quorum)
        {
            await quorum.LoseAsync();
            var refusals = await quorum.WaitForLogAsync(QuorumLoss.GlobalSessionRefused, 2);
            Assert.True(refusals >= 2);
            Assert.Equal(ZooKeeperSessionState.Disconnected, client.State);
            Assert.Equal([ZooKeeperSessionState.Disconnected], states.States.Skip(mark));
            Assert.Equal(sessionId, client.SessionId);

            mark = states.Count;
            await quorum.RestoreAsync();

            // The new leader starts the session's timeout afresh, so a client retrying every ~second resumes it.
            await states.WaitForAsync(ZooKeeperSessionState.Connected, mark, QuorumLoss.Wait);
            Assert.Equal([ZooKeeperSessionState.Connected], states.States.Skip(mark));
            Assert.Equal(sessionId, client.SessionId);
            Assert.Equal(sessionId, (await client.ExistsAsync(root + "/eph"))?.EphemeralOwner);
        }
    }

    [Fact]
    public async Task Session_QuorumLostWithoutLocalSessions_ReadOnlyServerServesNoSession()
    {
        // The servers' default: no local sessions. An ensemble of its own, started only for this test.
        await using var ensemble = await ZooKeeperEnsemble.StartAsync(readOnlyMode: true);
        var quorum = new QuorumLoss(ensemble);
        await using var client = await ConnectAsync(quorum.Survivor.ConnectString, o => o.CanBeReadOnly = true);
        using var states = new StateRecorder(client);
        await CreateTestRootAsync(client);
        var sessionId = client.SessionId;
        var mark = states.Count;

        await using (quorum)
        {
            await quorum.LoseAsync();
            await quorum.WaitForLogAsync(QuorumLoss.GlobalSessionRefused, 2);
            Assert.Equal([ZooKeeperSessionState.Disconnected], states.States.Skip(mark));

            // A new session is refused too: a bare NotReadOnly header instead of a ConnectResponse.
            var connect = await Assert.ThrowsAsync<ConnectionLossException>(() => ConnectAsync(quorum.Survivor.ConnectString, o =>
            {
                o.CanBeReadOnly = true;
                o.ConnectTimeout = TimeSpan.FromSeconds(2);
            }));
            Assert.IsType<NotReadOnlyException>(connect.InnerException);
            Assert.Equal([ZooKeeperSessionState.Disconnected], states.States.Skip(mark));

            mark = states.Count;
            await quorum.RestoreAsync();
            await states.WaitForAsync(ZooKeeperSessionState.Connected, mark, QuorumLoss.Wait);
            Assert.Equal([ZooKeeperSessionState.Connected], states.States.Skip(mark));
            Assert.Equal(sessionId, client.SessionId);
        }
    }
}
