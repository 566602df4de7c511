using System.Globalization;
using SdKit.Client;
using SdKit.Etcd.Tests.TestSupport;
using SdKit.Instances;
using SdKit.Testing.Conformance;
using SdKit.Testing.Etcd;
using SdKit.Testing.Network;

namespace SdKit.Etcd.Tests;

/// <summary>
/// All watches of one client ride on one etcd watch stream. Each test gets a member of its own, so the watch streams
/// and watchers that etcd counts (<c>/metrics</c>) are this test's alone.
/// </summary>
public sealed class EtcdWatchStreamTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private const int Watches = 40;
    private readonly TestOutputLoggerFactory _logging = new(output);
    private EtcdCluster _cluster = null!;

    private EtcdMember Member => _cluster.Members[0];

    public async Task InitializeAsync() => _cluster = await EtcdCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Instancers_ManyOnOneClient_ShareOneEtcdWatchStream()
    {
        var paths = NewPaths(Watches);
        await using var registering = await Clients.ConnectAsync(_cluster, logging: _logging);
        await using var watching = await Clients.ConnectAsync(_cluster, logging: _logging);
        foreach (var (path, i) in paths.Select((p, i) => (p, i)))
        {
            await registering.RegisterAsync(new ServiceEntry(path, Instance("a", i)));
        }

        var instancers = paths.Select(p => new Instancer(watching, p)).ToList();
        try
        {
            foreach (var (instancer, i) in instancers.Select((x, i) => (x, i)))
            {
                await WaitForAsync(instancer, Instance("a", i));
            }

            await EtcdMetrics.WaitForAsync(Member, EtcdMetrics.Watchers, Watches, Timeouts.Event);
            Assert.Equal(1, await EtcdMetrics.ReadAsync(Member, EtcdMetrics.WatchStreams));
            Assert.Equal(1, watching.WatchStream.StreamsOpened);
            Assert.Equal(Watches, watching.WatchStream.WatchCount);

            // Each change reaches its own Instancer only: responses are routed by watch id.
            var changed = Watches / 2;
            var events = new ObservationRecorder<InstanceEvent>();
            using var subscription = instancers[changed].Subscribe(events);
            await registering.RegisterAsync(new ServiceEntry(paths[changed], Instance("b", changed)));
            await events.WaitForAsync(e => e.Instances.SequenceEqual([Instance("a", changed), Instance("b", changed)]), Timeouts.Event);
            Assert.All(instancers.Where((_, i) => i != changed), x => Assert.Single(x.Current.Instances));
        }
        finally
        {
            foreach (var instancer in instancers)
            {
                await instancer.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Instancer_Disposed_ItsWatcherIsCancelledAndTheStreamClosesWithTheLast()
    {
        var paths = NewPaths(3);
        await using var registering = await Clients.ConnectAsync(_cluster, logging: _logging);
        await using var watching = await Clients.ConnectAsync(_cluster, logging: _logging);
        var instancers = new List<Instancer>();
        foreach (var (path, i) in paths.Select((p, i) => (p, i)))
        {
            await registering.RegisterAsync(new ServiceEntry(path, Instance("a", i)));
            instancers.Add(new Instancer(watching, path));
            await WaitForAsync(instancers[i], Instance("a", i));
        }

        await EtcdMetrics.WaitForAsync(Member, EtcdMetrics.Watchers, 3, Timeouts.Event);

        await instancers[0].DisposeAsync();

        await EtcdMetrics.WaitForAsync(Member, EtcdMetrics.Watchers, 2, Timeouts.Event);
        Assert.Equal(1, await EtcdMetrics.ReadAsync(Member, EtcdMetrics.WatchStreams));
        Assert.Equal(2, watching.WatchStream.WatchCount);
        await registering.RegisterAsync(new ServiceEntry(paths[2], Instance("b", 2)));
        await WaitForAsync(instancers[2], Instance("a", 2), Instance("b", 2));

        await instancers[1].DisposeAsync();
        await instancers[2].DisposeAsync();

        await EtcdMetrics.WaitForAsync(Member, EtcdMetrics.WatchStreams, 0, Timeouts.Event);
        Assert.Equal(0, await EtcdMetrics.ReadAsync(Member, EtcdMetrics.Watchers));
        Assert.False(watching.WatchStream.IsStreamOpen);
    }

    [Fact]
    public async Task WatchStream_MemberRestartedWhileChangesHappen_EveryWatchResumesFromItsRevisionWithoutLosingAChange()
    {
        const int restarted = 10;
        var paths = NewPaths(restarted);
        await using var proxy = LoopbackProxy.Start(Member.ClientPort);
        var options = Clients.Options(_cluster, ttlSeconds: 30);
        options.Endpoints.Clear();
        options.Endpoints.Add("http://127.0.0.1:" + proxy.Port.ToString(CultureInfo.InvariantCulture));

        // The member is down for longer than a few backoff steps: the watches must wait for it, not give up.
        options.WatchResumeAttempts = 1000;
        await using var watching = await EtcdDiscoveryClient.ConnectAsync(options, _logging);
        var watches = new List<WatchRecorder>();
        try
        {
            foreach (var (path, i) in paths.Select((p, i) => (p, i)))
            {
                await _cluster.Ctl.PutAsync(path + "/a", Instance("a", i));
                watches.Add(new WatchRecorder(watching, path));
                await watches[i].WaitForAsync(Instance("a", i));
            }

            await EtcdMetrics.WaitForAsync(Member, EtcdMetrics.Watchers, restarted, Timeouts.Event);

            // Nothing reaches the client from here on: the changes before and after the restart are seen only if every
            // watcher is created again from its own last revision + 1.
            proxy.Stall();
            foreach (var (path, i) in paths.Select((p, i) => (p, i)))
            {
                await _cluster.Ctl.PutAsync(path + "/b", Instance("b", i));
            }

            await Member.KillAsync();
            await _cluster.RestartAsync(Member);
            foreach (var (path, i) in paths.Select((p, i) => (p, i)))
            {
                await _cluster.Ctl.PutAsync(path + "/c", Instance("c", i));
                await _cluster.Ctl.RunAsync("del", path + "/a");
            }

            proxy.CutAll();
            proxy.Resume();

            foreach (var (watch, i) in watches.Select((w, i) => (w, i)))
            {
                await watch.WaitForAsync(Instance("b", i), Instance("c", i));
                Assert.Null(watch.Error);
            }

            Assert.True(watching.WatchStream.StreamsOpened >= 2, $"The stream was opened {watching.WatchStream.StreamsOpened} times.");
            await EtcdMetrics.WaitForAsync(Member, EtcdMetrics.Watchers, restarted, Timeouts.Event);
            Assert.Equal(1, await EtcdMetrics.ReadAsync(Member, EtcdMetrics.WatchStreams));
        }
        finally
        {
            foreach (var watch in watches)
            {
                await watch.DisposeAsync();
            }
        }
    }

    private static List<string> NewPaths(int count)
    {
        var root = Clients.NewServicePath();
        return [.. Enumerable.Range(0, count).Select(i => $"{root}-{i.ToString(CultureInfo.InvariantCulture)}")];
    }

    private static string Instance(string name, int i) => $"{name}{i.ToString(CultureInfo.InvariantCulture)}:1";

    private static async Task WaitForAsync(Instancer instancer, params string[] expected)
    {
        var events = new ObservationRecorder<InstanceEvent>();
        using var subscription = instancer.Subscribe(events);
        await events.WaitForAsync(e => e.Error is null && e.Instances.SequenceEqual(expected.Order(StringComparer.Ordinal)), Timeouts.Event);
    }
}
