using SdKit.Client;
using SdKit.Instances;
using SdKit.Testing.Conformance;
using SdKit.Testing.ZooKeeper;
using SdKit.ZooKeeper.Discovery;
using SdKit.ZooKeeper.Tests.Discovery.Support;

namespace SdKit.ZooKeeper.Tests.Discovery;

/// <summary>
/// A discovery client that accepts read-only servers, watching a registered instance while the ensemble loses its
/// quorum (one member left, serving read-only) and gets it back.
/// </summary>
[Collection(ReadOnlyEnsembleCollection.Name)]
public sealed class ReadOnlyModeTests(ZooKeeperReadOnlyEnsembleFixture fixture)
{
    [Fact]
    public async Task Watch_QuorumLostThenBack_KeepsInstancesSuspendedThenLostThenReconnected()
    {
        var ensemble = fixture.Ensemble;
        var quorum = new QuorumLoss(ensemble);
        var path = DiscoveryClients.NewServicePath();
        await using var registrant = await DiscoveryClients.ConnectAsync(ensemble.ConnectString);
        var registration = await registrant.RegisterAsync(new ServiceEntry(path, "ro:1"));
        var registrantSession = registrant.ZooKeeper.SessionId;
        var registrantStates = new ObservationRecorder<ConnectionState>();
        using var registrantSubscription = registrant.StateChanges.Subscribe(registrantStates);
        await using var watcher = await DiscoveryClients.ConnectAsync(quorum.Survivor.ConnectString, o => o.Connection.CanBeReadOnly = true);
        var states = new ObservationRecorder<ConnectionState>();
        using var stateSubscription = watcher.StateChanges.Subscribe(states);
        using var sessionStates = new StateRecorder(watcher.ZooKeeper);
        await using var instancer = new Instancer(watcher, path);
        var events = new ObservationRecorder<InstanceEvent>();
        using var eventSubscription = instancer.Subscribe(events);
        using var watchEnd = new CancellationTokenSource();
        var snapshots = DiscoveryClients.Watch(watcher, path, watchEnd.Token);
        await events.WaitForAsync(e => e.Error is null && e.Instances.SequenceEqual(["ro:1"]), DiscoveryClients.Wait);
        await snapshots.WaitForAsync("ro:1");
        var stateMark = states.Values.Count;
        var eventMark = events.Values.Count;
        var sessionMark = sessionStates.Count;
        var registrantMark = registrantStates.Values.Count;

        await using (quorum)
        {
            await quorum.LoseAsync();
            await sessionStates.WaitForAsync(ZooKeeperSessionState.ConnectedReadOnly, sessionMark, QuorumLoss.Wait);

            // The watcher's local session expired (see the session tests): the watch ends with that error, the
            // instancer keeps the instances, watches again on the read-only server and finds them there.
            await snapshots.Completed.WaitAsync(DiscoveryClients.Wait);
            // The contract reports a DiscoveryException; the client's own SessionExpiredException is its cause.
            var expired = Assert.IsType<ZooKeeperDiscoveryException>(snapshots.Error);
            Assert.IsType<SessionExpiredException>(expired.InnerException);
            Assert.True(expired.IsTransient);
            await events.WaitForNextAsync(eventMark, e => e.Error is ZooKeeperDiscoveryException { InnerException: SessionExpiredException }, DiscoveryClients.Wait);
            await events.WaitForNextAsync(eventMark, e => e.Error is null, DiscoveryClients.Wait);
            Assert.All(events.Values.Skip(eventMark), e => Assert.Equal(new[] { "ro:1" }, e.Instances.ToArray()));
            Assert.Equal([ConnectionState.Suspended, ConnectionState.Lost], states.Values.Skip(stateMark));
            Assert.Equal(ConnectionState.Lost, watcher.State);
            Assert.Equal(["ro:1"], await watcher.ListAsync(path));

            stateMark = states.Values.Count;
            await quorum.RestoreAsync();
            await states.WaitForNextAsync(stateMark, s => s == ConnectionState.Reconnected, QuorumLoss.Wait);
            Assert.Equal([ConnectionState.Reconnected], states.Values.Skip(stateMark));
            Assert.Equal(["ro:1"], await watcher.ListAsync(path));
            Assert.All(events.Values.Skip(eventMark), e => Assert.Equal(new[] { "ro:1" }, e.Instances.ToArray()));

            // The registrant's session is global (its ephemeral node upgraded it): the read-only server refused it,
            // and the restored quorum resumes it. Lost in between only if the outage outlasted its session timeout.
            await registrantStates.WaitForNextAsync(registrantMark, s => s == ConnectionState.Reconnected, QuorumLoss.Wait);
            Assert.Equal(ConnectionState.Suspended, registrantStates.Values[registrantMark]);
            Assert.Equal(registrantSession, registrant.ZooKeeper.SessionId);
            Assert.Equal(registrantSession, (await watcher.ZooKeeper.ExistsAsync(registration.Key))?.EphemeralOwner);
        }
    }
}
