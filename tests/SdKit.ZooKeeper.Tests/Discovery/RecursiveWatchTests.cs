using SdKit.Client;
using SdKit.Instances;
using SdKit.Testing.Conformance;
using SdKit.Testing.Network;
using SdKit.Testing.ZooKeeper;
using SdKit.ZooKeeper.Discovery;
using SdKit.ZooKeeper.Tests.Discovery.Support;
using static SdKit.ZooKeeper.Client.Tests.TestClients;

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
    public async Task WatchAsync_ChangesOneAfterAnother_EverySnapshotOrderedAndTheLastExact()
    {
        var path = await CreateServicePathAsync();
        await Raw.CreateAsync(path + "/m", Bytes("10.0.0.5:80"));
        await using var client = await DiscoveryClients.ConnectAsync(Fixture.ConnectString);
        var snapshots = new List<IReadOnlyList<string>>();
        string[] expected = ["10.0.0.2:80", "10.0.0.5:80", "10.0.0.9:80"];
        var changed = false;

        // The watch keeps its set in order by applying each change to the previous one: duplicates, a node created
        // and deleted between two snapshots, and changed data must all come out as the plain sorted set would.
        await foreach (var snapshot in client.WatchAsync(path, TestEnd))
        {
            snapshots.Add(snapshot);
            if (!changed && snapshot.Count == 1)
            {
                changed = true;
                await Raw.CreateAsync(path + "/z", Bytes("10.0.0.1:80"));
                await Raw.CreateAsync(path + "/a", Bytes("10.0.0.9:80"));
                await Raw.CreateAsync(path + "/dup", Bytes("10.0.0.5:80"));
                await Raw.CreateAsync(path + "/gone", Bytes("10.0.0.7:80"));
                await Raw.DeleteAsync(path + "/gone");
                await Raw.SetDataAsync(path + "/z", Bytes("10.0.0.2:80"));
                await Raw.DeleteAsync(path + "/dup");
            }
            else if (snapshot.SequenceEqual(expected, StringComparer.Ordinal))
            {
                break;
            }
        }

        Assert.All(snapshots, s => Assert.Equal(s.Order(StringComparer.Ordinal), s));
        Assert.Equal(expected, snapshots[^1]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Instancer_RandomChanges_EveryEventsChangeIsWhatTheFullComparisonFinds(int seed)
    {
        var path = await CreateServicePathAsync();
        await using var client = await DiscoveryClients.ConnectAsync(Fixture.ConnectString);
        await using var instancer = new Instancer(client, path);
        var events = new ObservationRecorder<InstanceEvent>();
        using var subscription = instancer.Subscribe(events);
        await instancer.WaitForFirstEventAsync(TestEnd);
        var random = new Random(seed);
        var nodes = new Dictionary<string, string>(StringComparer.Ordinal);

        // Creations (duplicate data included), deletions and data changes, applied by the watch one at a time to the
        // previous snapshot: each event must carry the same change and the same set a full rebuild finds.
        for (var step = 0; step < 40; step++)
        {
            var choice = random.Next(3);
            if (choice == 0 || nodes.Count == 0)
            {
                var name = $"n{step}";
                nodes[name] = $"10.0.0.{random.Next(0, 8)}:80";
                await Raw.CreateAsync($"{path}/{name}", Bytes(nodes[name]));
            }
            else
            {
                var name = nodes.Keys.ElementAt(random.Next(nodes.Count));
                if (choice == 1)
                {
                    nodes.Remove(name);
                    await Raw.DeleteAsync($"{path}/{name}");
                }
                else
                {
                    nodes[name] = $"10.0.0.{random.Next(0, 8)}:80";
                    await Raw.SetDataAsync($"{path}/{name}", Bytes(nodes[name]));
                }
            }
        }

        string[] expected = [.. nodes.Values.Order(StringComparer.Ordinal)];
        await events.WaitForAsync(e => e.Instances.SequenceEqual(expected), DiscoveryClients.Wait);
        var seen = events.Values.ToArray();
        for (var i = 1; i < seen.Length; i++)
        {
            var (joined, left) = seen[i].ChangesFrom(seen[i - 1]);
            var (fullJoined, fullLeft) = new InstanceEvent(seen[i].Instances.ToArray()).ChangesFrom(new InstanceEvent(seen[i - 1].Instances.ToArray()));
            Assert.Equal(fullJoined.ToArray(), joined.ToArray());
            Assert.Equal(fullLeft.ToArray(), left.ToArray());
            Assert.Equal(seen[i].Instances.Order(StringComparer.Ordinal), seen[i].Instances);
            Assert.False(seen[i].Equals(seen[i - 1]));
        }

        Assert.Equal(expected, (await client.ListAsync(path, TestEnd)).Order(StringComparer.Ordinal));
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
