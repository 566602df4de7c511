using System.Diagnostics;
using SdKit.Client;
using SdKit.Instances;
using SdKit.ZooKeeper.Discovery;

namespace SdKit.Benchmarks.Scenarios.ZooKeeperDiscovery;

/// <summary>
/// <c>zk-propagation</c>: the time from the end of <see cref="IDiscoveryClient.RegisterAsync"/> until the subscribers of
/// N Instancers all see the new instance. The Instancers share C ZooKeeper sessions (default: one session each, as N
/// watching processes would have). Each round registers one instance, waits for every subscriber, then deregisters it
/// and waits for its removal everywhere.
/// </summary>
internal sealed class ZkPropagationScenario : IScenario
{
    public string Name => "zk-propagation";

    public string Usage => "--zk HOSTS|local|local:N --watchers N --registrations R [--clients C] [--warmup W] [--watch-mode recursive|children]";

    public async Task<int> RunAsync(ScenarioArguments arguments, CancellationToken cancellationToken)
    {
        var watcherCount = Math.Max(1, arguments.Int("watchers", 100));
        var registrations = Math.Max(1, arguments.Int("registrations", 200));
        var warmup = arguments.Int("warmup", 20);
        var clientCount = Math.Clamp(arguments.Int("clients", watcherCount), 1, watcherCount);
        var watchMode = arguments.String("watch-mode", "recursive") switch
        {
            "recursive" => ZooKeeperWatchMode.PersistentRecursive,
            "children" => ZooKeeperWatchMode.Children,
            var other => throw new ArgumentException($"--watch-mode must be 'recursive' or 'children', not '{other}'."),
        };
        var (connectString, owned) = await ZkScenarioSupport.ServersAsync(arguments);
        await using var servers = owned;
        var session = TimeSpan.FromSeconds(4);
        var path = $"/sdkit-bench/{Guid.NewGuid():N}/svc";
        await using var registering = await ZooKeeperDiscoveryClient.ConnectAsync(ZkScenarioSupport.Options(connectString, session), cancellationToken: cancellationToken);
        var clients = new List<ZooKeeperDiscoveryClient>();
        var watchers = new List<InstanceWatcher>();
        try
        {
            for (var i = 0; i < clientCount; i++)
            {
                var options = ZkScenarioSupport.Options(connectString, session);
                options.WatchMode = watchMode;
                clients.Add(await ZooKeeperDiscoveryClient.ConnectAsync(options, cancellationToken: cancellationToken));
            }

            for (var i = 0; i < watcherCount; i++)
            {
                watchers.Add(new InstanceWatcher(new Instancer(clients[i % clientCount], path)));
            }

            var latencies = new List<double>();
            var beforeReturn = 0;
            for (var round = 0; round < warmup + registrations; round++)
            {
                var instance = $"10.0.{round / 250}.{round % 250}:8080";
                var seen = watchers.Select(w => w.Expect(e => e.Instances.Contains(instance))).ToArray();
                var registration = await registering.RegisterAsync(new ServiceEntry(path, instance), cancellationToken);
                var registered = Stopwatch.GetTimestamp();
                var times = await Task.WhenAll(seen).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
                if (round >= warmup)
                {
                    // A watch event can overtake the create's own reply: such a round counts as 0 ms (and is counted).
                    var last = times.Max();
                    beforeReturn += last < registered ? 1 : 0;
                    latencies.Add(Math.Max(0, Stopwatch.GetElapsedTime(registered, last).TotalMilliseconds));
                }

                var gone = watchers.Select(w => w.Expect(e => e.Error is null && !e.Instances.Contains(instance))).ToArray();
                await registering.DeregisterAsync(registration, cancellationToken);
                await Task.WhenAll(gone).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            }

            latencies.Sort();
            ScenarioFigures.PrintJson(new Dictionary<string, object>
            {
                ["scenario"] = Name,
                ["zk"] = connectString,
                ["watchers"] = watcherCount,
                ["clients"] = clientCount,
                ["watch_mode"] = watchMode.ToString(),
                ["registrations"] = registrations,
                ["p50_ms"] = ScenarioFigures.Round(ScenarioFigures.Percentile(latencies, 50)),
                ["p99_ms"] = ScenarioFigures.Round(ScenarioFigures.Percentile(latencies, 99)),
                ["max_ms"] = ScenarioFigures.Round(latencies[^1]),
                ["mean_ms"] = ScenarioFigures.Round(latencies.Average()),
                ["all_seen_before_return"] = beforeReturn,
                ["target_p99_ms"] = 20,
            });
            return 0;
        }
        finally
        {
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
}
