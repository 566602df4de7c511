using System.Diagnostics;
using System.Globalization;
using SdKit.Client;
using SdKit.Instances;

namespace SdKit.Benchmarks.Scenarios.Scale;

/// <summary>
/// <c>scale-services</c>: N services (one instance each) and N Instancers on ONE discovery client (one ZooKeeper
/// session, or one etcd client). Measures the startup of all N (from the first Instancer made until every one holds
/// its instance), the bytes retained per idle Instancer, the runner's OS threads before and after, the sessions and
/// watch streams the server counts, and one change in one of the N services reaching its Instancer.
/// </summary>
internal sealed class ScaleServicesScenario : IScenario
{
    public string Name => "scale-services";

    public string Usage => "--backend zk|etcd --zk HOSTS|local | --etcd URLS|local [--services 10000] [--fill-in-flight 500]";

    public async Task<int> RunAsync(ScenarioArguments arguments, CancellationToken cancellationToken)
    {
        var count = Math.Max(1, arguments.Int("services", 10000));
        var fillInFlight = Math.Max(1, arguments.Int("fill-in-flight", 500));
        await using var backend = await ScaleBackend.StartAsync(arguments);
        var session = TimeSpan.FromSeconds(10);
        var root = $"/sdkit-bench/{Guid.NewGuid():N}";
        string PathOf(int i) => $"{root}/svc-{i.ToString(CultureInfo.InvariantCulture)}";
        await using var registering = await backend.ConnectAsync(session, cancellationToken);
        var filled = Stopwatch.GetTimestamp();
        for (var start = 0; start < count; start += fillInFlight)
        {
            var batch = Enumerable.Range(start, Math.Min(fillInFlight, count - start))
                .Select(i => registering.RegisterAsync(new ServiceEntry(PathOf(i), ScaleBackend.Instance(i)), cancellationToken).AsTask());
            await Task.WhenAll(batch);
        }

        var fillMs = ScaleMachine.Since(filled);
        var before = await ServerCountsAsync(backend, cancellationToken);
        var threadsBefore = ScaleMachine.Threads();
        var baseline = ScaleMachine.Retained();
        var started = Stopwatch.GetTimestamp();
        var client = await backend.ConnectAsync(session, cancellationToken);
        var instancers = new Instancer[count];
        for (var i = 0; i < count; i++)
        {
            instancers[i] = new Instancer(client, PathOf(i));
        }

        var made = Stopwatch.GetTimestamp();
        var deadline = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * 120);
        while (instancers.Any(i => i.Current.Instances.Length != 1))
        {
            // Polling (1 ms) rather than 10,000 subscriptions, so that only the Instancers' own cost is measured.
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"{instancers.Count(i => i.Current.Instances.Length != 1)} of {count} Instancers did not get their instance within 120 s.");
            }

            await Task.Delay(1, cancellationToken);
        }

        var startupMs = ScaleMachine.Since(started);

        // etcd: an Instancer holds its instance once listed; its watcher is created right after. The idle state (and
        // what it retains) is reached once etcd counts every watcher.
        var watchingMs = backend.IsZooKeeper ? startupMs : await WaitForWatchersAsync(backend, before, count, started, cancellationToken);
        var retainedPerInstancer = (ScaleMachine.Retained() - baseline) / (double)count;
        var threadsAfter = ScaleMachine.Threads();
        var after = await ServerCountsAsync(backend, cancellationToken);

        // One change in one service of the N, timed from the registration's return to its Instancer's event.
        var changed = count / 2;
        var changes = new List<double>();
        for (var round = 0; round < 10; round++)
        {
            using var events = new StampingObserver<InstanceEvent>(instancers[changed]);
            var seen = events.Expect(e => e.Instances.Length == 2);
            var added = await registering.RegisterAsync(new ServiceEntry(PathOf(changed), ScaleBackend.Instance(count + round)), cancellationToken);
            var returned = Stopwatch.GetTimestamp();
            changes.Add(ScaleMachine.Between(returned, await seen.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken)));
            var gone = events.Expect(e => e.Instances.Length == 1);
            await registering.DeregisterAsync(added, cancellationToken);
            await gone.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        }

        changes.Sort();
        var figures = new Dictionary<string, object>
        {
            ["scenario"] = Name,
            ["backend"] = backend.Kind,
            ["services"] = count,
            ["fill_ms"] = fillMs,
            ["make_instancers_ms"] = ScenarioFigures.Round(Stopwatch.GetElapsedTime(started, made).TotalMilliseconds),
            ["startup_all_ms"] = startupMs,
            ["startup_all_watching_ms"] = watchingMs,
            ["retained_bytes_per_idle_instancer"] = Math.Round(retainedPerInstancer, 1),
            ["threads_before"] = threadsBefore,
            ["threads_after"] = threadsAfter,
            ["change_to_instancer_p50_ms"] = ScenarioFigures.Round(ScenarioFigures.Percentile(changes, 50)),
            ["change_to_instancer_max_ms"] = ScenarioFigures.Round(changes[^1]),
            ["load_avg"] = ScaleMachine.LoadAverage().ToString("0.0", CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in before)
        {
            figures[$"server_{key}_before"] = value;
            figures[$"server_{key}_after"] = after[key];
        }

        ScenarioFigures.PrintJson(figures);
        foreach (var instancer in instancers)
        {
            await instancer.DisposeAsync();
        }

        await client.DisposeAsync();
        return 0;
    }

    /// <summary>Waits until etcd counts <paramref name="count"/> more watchers than before; returns the time since <paramref name="started"/>.</summary>
    private static async Task<double> WaitForWatchersAsync(ScaleBackend backend, Dictionary<string, long> before, int count, long started, CancellationToken cancellationToken)
    {
        const string watchers = "etcd_debugging_mvcc_watcher_total";
        var deadline = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * 120);
        while ((await ServerCountsAsync(backend, cancellationToken))[watchers] < before[watchers] + count)
        {
            // The server offers no event for its count: read it again every 10 ms.
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"etcd did not count {count} more watchers within 120 s.");
            }

            await Task.Delay(10, cancellationToken);
        }

        return ScaleMachine.Since(started);
    }

    /// <summary>ZooKeeper: the connections and watches the server counts (mntr). etcd: its watch streams and watchers (/metrics).</summary>
    private static async Task<Dictionary<string, long>> ServerCountsAsync(ScaleBackend backend, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, long>();
        if (backend.IsZooKeeper)
        {
            var monitor = await backend.MonitorAsync(cancellationToken);
            foreach (var key in new[] { "zk_num_alive_connections", "zk_watch_count" })
            {
                counts[key] = monitor.TryGetValue(key, out var text) && long.TryParse(text, CultureInfo.InvariantCulture, out var value) ? value : -1;
            }

            return counts;
        }

        using var http = new HttpClient();
        var metrics = await http.GetStringAsync(new Uri(backend.Endpoints[0].TrimEnd('/') + "/metrics"), cancellationToken);
        foreach (var key in new[] { "etcd_debugging_mvcc_watch_stream_total", "etcd_debugging_mvcc_watcher_total"})
        {
            counts[key] = -1;
        }

        foreach (var line in metrics.Split('\n'))
        {
            var parts = line.Split(' ');
            if (parts.Length == 2 && counts.ContainsKey(parts[0]) && double.TryParse(parts[1], CultureInfo.InvariantCulture, out var value))
            {
                counts[parts[0]] = (long)value;
            }
        }

        return counts;
    }
}
