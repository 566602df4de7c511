using System.Diagnostics.Metrics;
using SdKit.Testing.Network;
using SdKit.Testing.ZooKeeper;
using static SdKit.ZooKeeper.Client.Tests.TestClients;

namespace SdKit.ZooKeeper.Client.Tests.Session;

[Collection(StandaloneCollection.Name)]
public sealed class TelemetryTests(ZooKeeperServerFixture fixture)
{
    [Fact]
    public async Task Meter_ConnectionCutAndWatchFired_CountsReconnectAndNotification()
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "SdKit.ZooKeeper")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            lock (counts)
            {
                counts[instrument.Name] = counts.GetValueOrDefault(instrument.Name) + value;
            }
        });
        listener.Start();
        await using var proxy = LoopbackProxy.Start(fixture.Server.Port);
        await using var client = await ConnectAsync(proxy.Endpoint);
        using var states = new StateRecorder(client);
        var root = await CreateTestRootAsync(client);
        var watch = await client.GetDataAndWatchAsync(root);

        proxy.CutAll();
        await states.WaitForAsync(ZooKeeperSessionState.Connected, 1, Wait);
        await client.SetDataAsync(root, Bytes("x"));
        await watch.Changed.WaitAsync(Wait);

        // Other tests' clients report to the same meter, so only lower bounds can be asserted.
        lock (counts)
        {
            Assert.True(counts.GetValueOrDefault("sdkit.zookeeper.client.connections") >= 2);
            Assert.True(counts.GetValueOrDefault("sdkit.zookeeper.client.disconnections") >= 1);
            Assert.True(counts.GetValueOrDefault("sdkit.zookeeper.client.watch_notifications") >= 1);
            Assert.True(counts.GetValueOrDefault("sdkit.zookeeper.client.requests") >= 3);
        }
    }
}
