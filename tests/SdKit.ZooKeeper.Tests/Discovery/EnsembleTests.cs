using SdKit.Client;
using SdKit.Testing.ZooKeeper;
using SdKit.ZooKeeper.Tests.Discovery.Support;

namespace SdKit.ZooKeeper.Tests.Discovery;

/// <summary>Losing an ensemble member keeps registrations (same session, moved) and watchers working.</summary>
[Collection(EnsembleCollection.Name)]
public sealed class EnsembleTests(ZooKeeperEnsembleFixture fixture) : IAsyncLifetime
{
    private readonly CancellationTokenSource _testEnd = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _testEnd.CancelAsync();
        _testEnd.Dispose();
    }

    [Fact]
    public async Task Member_KilledUnderRegistrarAndWatcher_RegistrationAndWatchSurvive()
    {
        var ensemble = fixture.Ensemble;
        var path = DiscoveryClients.NewServicePath();
        await using var registering = await DiscoveryClients.ConnectAsync(ensemble.ConnectString);
        var victim = ensemble.ByPort(int.Parse(registering.ZooKeeper.ConnectedServer!.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture));
        await using var watching = await ConnectToAsync(victim.ConnectString);
        var handle = await registering.RegisterAsync(new ServiceEntry(path, "survivor:1"));
        var session = registering.ZooKeeper.SessionId;
        var snapshots = DiscoveryClients.Watch(watching, path, _testEnd.Token);
        await snapshots.WaitForAsync("survivor:1");

        try
        {
            await victim.KillAsync();

            await registering.RegisterAsync(new ServiceEntry(path, "after-kill:2"));
            await snapshots.WaitForAsync("after-kill:2", "survivor:1");
            Assert.Equal(session, registering.ZooKeeper.SessionId);
            Assert.NotEqual(victim.ConnectString, registering.ZooKeeper.ConnectedServer);
            Assert.NotEqual(victim.ConnectString, watching.ZooKeeper.ConnectedServer);
            Assert.Equal(session, (await watching.ZooKeeper.ExistsAsync(handle.Key))?.EphemeralOwner);
            Assert.Null(snapshots.Error);
        }
        finally
        {
            await victim.StartAsync();
            await ensemble.WaitForQuorumAsync(TimeSpan.FromSeconds(90));
        }
    }

    /// <summary>Connects a watcher to the whole ensemble that happens to sit on <paramref name="server"/>, so that server's death moves it too.</summary>
    private async Task<ZooKeeper.Discovery.ZooKeeperDiscoveryClient> ConnectToAsync(string server)
    {
        // The client shuffles the ensemble; a few tries land on the wanted member with near certainty.
        for (var attempt = 0; ; attempt++)
        {
            var client = await DiscoveryClients.ConnectAsync(fixture.Ensemble.ConnectString);
            if (client.ZooKeeper.ConnectedServer == server || attempt == 20)
            {
                return client;
            }

            await client.DisposeAsync();
        }
    }
}
