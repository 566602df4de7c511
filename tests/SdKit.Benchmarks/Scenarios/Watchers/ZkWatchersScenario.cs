using System.Diagnostics;
using System.Globalization;
using SdKit.Benchmarks.Scenarios.ZooKeeperDiscovery;
using SdKit.Client;
using SdKit.Instances;
using SdKit.ZooKeeper.Discovery;

namespace SdKit.Benchmarks.Scenarios.Watchers;

/// <summary>
/// <c>zk-watchers</c>: N watching SdKit clients (one ZooKeeper session each, the way a fleet looks) and, in the same
/// run, N sessions of the official Java client (<c>java/ZkWatchers.java</c>) watching the same service path. Each round
/// registers one instance; the time from the end of the registration to the 1st, 50th, 99th and last watcher of each
/// side that sees it (of 1,000: the 1st, 500th, 990th and last) is taken, then the instance is deregistered and its removal awaited everywhere.
/// </summary>
internal sealed class ZkWatchersScenario : IScenario
{
    public string Name => "zk-watchers";

    public string Usage => "--zk HOSTS|local --watchers N [--registrations R] [--warmup W] [--java on|off] [--sdkit on|off] [--raw on|off]";

    public async Task<int> RunAsync(ScenarioArguments arguments, CancellationToken cancellationToken)
    {
        var count = Math.Max(1, arguments.Int("watchers", 100));
        var registrations = Math.Max(1, arguments.Int("registrations", 50));
        var warmup = arguments.Int("warmup", 5);
        var withJava = arguments.String("java", "on") == "on";
        var withSdKit = arguments.String("sdkit", "on") == "on";

        // N more sessions of SdKit.ZooKeeper.Client alone: when the notification arrived and when the child was read.
        var withRaw = arguments.String("raw", "off") == "on";
        var (connectString, owned) = await ZkScenarioSupport.ServersAsync(arguments);
        await using var servers = owned;
        var session = TimeSpan.FromSeconds(4);
        var path = $"/sdkit-bench/{Guid.NewGuid():N}/svc";
        await using var registering = await ZooKeeperDiscoveryClient.ConnectAsync(ZkScenarioSupport.Options(connectString, session), cancellationToken: cancellationToken);
        await using (var raw = await ZkScenarioSupport.RawAsync(connectString, cancellationToken))
        {
            await ZkScenarioSupport.CreatePathAsync(raw, path, cancellationToken);
        }

        var clients = new List<ZooKeeperDiscoveryClient>();
        var watchers = new List<InstanceWatcher>();
        var raws = new List<RawNodeWatcher>();
        JavaWatcherProcess? java = null;
        try
        {
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; withSdKit && i < count; i++)
            {
                clients.Add(await ZooKeeperDiscoveryClient.ConnectAsync(ZkScenarioSupport.Options(connectString, session), cancellationToken: cancellationToken));
                watchers.Add(new InstanceWatcher(new Instancer(clients[i], path)));
            }

            await Task.WhenAll(watchers.Select(w => w.Expect(e => e.Error is null))).WaitAsync(TimeSpan.FromMinutes(2), cancellationToken);
            for (var i = 0; withRaw && i < count; i++)
            {
                raws.Add(await RawNodeWatcher.StartAsync(connectString, path, cancellationToken));
            }

            var sdkitStartMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            started = Stopwatch.GetTimestamp();
            java = withJava ? await JavaWatcherProcess.StartAsync(connectString, path, count, cancellationToken) : null;
            var javaStartMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

            var sdkit = new Ranks(count);
            var javaRanks = new Ranks(count);
            var notifiedRanks = new Ranks(count);
            var readRanks = new Ranks(count);
            var load = new List<double> { ScaleLoad() };
            for (var round = 0; round < warmup + registrations; round++)
            {
                var instance = $"10.9.{round / 250}.{round % 250}:8080";
                var seen = watchers.Select(w => w.Expect(e => e.Instances.Contains(instance))).ToArray();
                var rawSeen = raws.Select(r => r.NextCreated()).ToArray();
                var registration = await registering.RegisterAsync(new ServiceEntry(path, instance), cancellationToken);
                var registered = Stopwatch.GetTimestamp();
                var javaSeen = java?.SeenAsync(instance, cancellationToken);
                var times = await Task.WhenAll(seen).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
                var javaTimes = javaSeen is null ? [] : await javaSeen;
                var rawTimes = await Task.WhenAll(rawSeen).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
                if (round >= warmup)
                {
                    sdkit.Add(times, registered);
                    javaRanks.Add(javaTimes, registered);
                    notifiedRanks.Add([.. rawTimes.Select(t => t.Notified)], registered);
                    readRanks.Add([.. rawTimes.Select(t => t.Read)], registered);
                }

                var gone = watchers.Select(w => w.Expect(e => e.Error is null && !e.Instances.Contains(instance))).ToArray();
                await registering.DeregisterAsync(registration, cancellationToken);
                var javaGone = java?.GoneAsync(instance, cancellationToken) ?? Task.CompletedTask;
                await Task.WhenAll(gone).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
                await javaGone;
            }

            load.Add(ScaleLoad());
            var figures = new Dictionary<string, object>
            {
                ["scenario"] = Name,
                ["zk"] = connectString,
                ["watchers"] = count,
                ["registrations"] = registrations,
                ["sdkit_start_ms"] = ScenarioFigures.Round(sdkitStartMs),
                ["java_start_ms"] = ScenarioFigures.Round(javaStartMs),
                ["load_avg"] = string.Join('/', load.Select(l => l.ToString("0.0", CultureInfo.InvariantCulture))),
            };
            sdkit.Into(figures, "sdkit");
            javaRanks.Into(figures, "java");
            notifiedRanks.Into(figures, "raw_notified");
            readRanks.Into(figures, "raw_read");
            ScenarioFigures.PrintJson(figures);
            return 0;
        }
        finally
        {
            if (java is not null)
            {
                await java.DisposeAsync();
            }

            foreach (var raw in raws)
            {
                await raw.DisposeAsync();
            }

            foreach (var watcher in watchers)
            {
                await watcher.DisposeAsync();
            }

            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    private static double ScaleLoad() => Scale.ScaleMachine.LoadAverage();

    /// <summary>Per round, the latency of the 1st, 50th, 99th and last watcher to see the change; then their percentiles over the rounds.</summary>
    private sealed class Ranks(int count)
    {
        // The 50th and 99th of 100 watchers; of 1,000, the 500th and 990th (the same share of the fleet).
        private readonly int[] _ranks = [.. new[] { 1, (count + 1) / 2, (int)Math.Ceiling(count * 0.99), count }.Distinct()];
        private readonly Dictionary<int, List<double>> _byRank = [];

        public void Add(long[] times, long registered)
        {
            if (times.Length == 0)
            {
                return;
            }

            // A watch event can overtake the create's own reply: such a sighting counts as 0 ms.
            var latencies = times.Select(t => Math.Max(0, Stopwatch.GetElapsedTime(registered, t).TotalMilliseconds)).Order().ToArray();
            foreach (var rank in _ranks)
            {
                (_byRank.TryGetValue(rank, out var list) ? list : _byRank[rank] = []).Add(latencies[rank - 1]);
            }
        }

        public void Into(Dictionary<string, object> figures, string side)
        {
            foreach (var (rank, list) in _byRank)
            {
                list.Sort();
                var name = rank == count ? "last" : rank == 1 ? "first" : $"w{rank.ToString(CultureInfo.InvariantCulture)}";
                figures[$"{side}_{name}_p50_ms"] = ScenarioFigures.Round(ScenarioFigures.Percentile(list, 50));
                figures[$"{side}_{name}_p99_ms"] = ScenarioFigures.Round(ScenarioFigures.Percentile(list, 99));
                figures[$"{side}_{name}_max_ms"] = ScenarioFigures.Round(list[^1]);
            }
        }
    }
}
