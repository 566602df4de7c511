using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using SdKit.Client;
using SdKit.Instances;

namespace SdKit.Benchmarks.Scenarios.Scale;

/// <summary>
/// <c>scale-churn</c>: a service path filled with <c>--set</c> instances, then <c>--rate</c> registrations and
/// deregistrations per second (half each, so the set keeps its size) for <c>--seconds</c>, spread over
/// <c>--writers</c> registering clients, while <c>--watchers</c> clients (one session or etcd client each, an
/// <see cref="Instancer"/> on the path) watch. With <c>--restarts N</c> the leader of a local ensemble or cluster
/// (<c>--zk local:3</c>, <c>--etcd local:3</c>) is killed and restarted N times during the churn.
/// </summary>
/// <remarks>
/// The truth is the writers' own book: every registration whose call returned and that was not deregistered. A call
/// that threw leaves its instance uncertain (it may or may not be in the registry); uncertain instances are left out
/// of every comparison and counted. After the churn stops the runner times, per watcher, how long until its set is
/// the truth (convergence), reads the registry with a fresh client (a registration missing there is lost), and
/// samples the runner's retained heap every <c>--sample-s</c> during the run (memory flat or not).
/// </remarks>
internal sealed class ScaleChurnScenario : IScenario
{
    public string Name => "scale-churn";

    public string Usage => "--backend zk|etcd --zk HOSTS|local|local:3 | --etcd URLS|local|local:3 [--set 10000] [--rate 1000] [--seconds 60] [--watchers 100] [--writers 8] [--restarts 0] [--down-ms 3000] [--session-s 4] [--sample-s 10] [--converge-timeout-s 60]";

    public async Task<int> RunAsync(ScenarioArguments arguments, CancellationToken cancellationToken)
    {
        var setSize = Math.Max(1, arguments.Int("set", 10_000));
        var rate = Math.Max(1, arguments.Int("rate", 1000));
        var seconds = Math.Max(1, arguments.Int("seconds", 60));
        var watcherCount = Math.Max(1, arguments.Int("watchers", 100));
        var writerCount = Math.Max(1, arguments.Int("writers", 8));
        var restarts = arguments.Int("restarts", 0);
        var downFor = TimeSpan.FromMilliseconds(arguments.Int("down-ms", 3000));
        var session = TimeSpan.FromSeconds(Math.Max(1, arguments.Int("session-s", 4)));
        var sampleEvery = TimeSpan.FromSeconds(Math.Max(1, arguments.Int("sample-s", 10)));
        var convergeTimeout = TimeSpan.FromSeconds(Math.Max(1, arguments.Int("converge-timeout-s", 60)));

        await using var backend = await ScaleBackend.StartAsync(arguments);
        var path = $"/sdkit-bench/{Guid.NewGuid():N}/svc";
        var load = new List<double> { ScaleMachine.LoadAverage() };

        var writers = new ChurnWriter[writerCount];
        for (var w = 0; w < writerCount; w++)
        {
            writers[w] = new ChurnWriter(w, await backend.ConnectAsync(session, cancellationToken), path);
        }

        var filled = Stopwatch.GetTimestamp();
        await Task.WhenAll(writers.Select(w => w.FillAsync(setSize / writerCount + (w.Number < setSize % writerCount ? 1 : 0), cancellationToken)));
        var fillMs = ScaleMachine.Since(filled);

        var watchers = new List<ChurnWatcher>(watcherCount);
        var watchersStarted = Stopwatch.GetTimestamp();
        for (var i = 0; i < watcherCount; i++)
        {
            watchers.Add(await ChurnWatcher.StartAsync(backend, session, path, cancellationToken));
        }

        await Task.WhenAll(watchers.Select(w => w.Events.Expect(e => e.Instances.Length == setSize).WaitAsync(TimeSpan.FromMinutes(5), cancellationToken)));
        var watchersSyncedMs = ScaleMachine.Since(watchersStarted);

        var baselineHeap = ScaleMachine.Retained();
        var heap = new List<long> { baselineHeap };
        var restartLog = new List<string>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(TimeSpan.FromSeconds(seconds));
        var clientCpuStart = ScaleMachine.ProcessCpuSeconds();
        var serverCpuStart = ScaleMachine.ChildrenCpuSeconds();
        var churnStarted = Stopwatch.GetTimestamp();
        var perWriterRate = rate / (double)writerCount;
        var churn = writers.Select(w => w.ChurnAsync(perWriterRate, stop.Token)).ToArray();
        var sampler = SampleHeapAsync(heap, sampleEvery, stop.Token);
        var restarter = RestartAsync(backend, restarts, seconds, downFor, restartLog, churnStarted, stop.Token);
        await Task.WhenAll(churn);
        var churnStopped = Stopwatch.GetTimestamp();
        var clientCpu = ScaleMachine.ProcessCpuSeconds() - clientCpuStart;
        var serverCpu = ScaleMachine.ChildrenCpuSeconds() - serverCpuStart;
        await sampler;
        await restarter;
        var churnMs = ScaleMachine.Between(churnStarted, churnStopped);
        load.Add(ScaleMachine.LoadAverage());

        // The truth once every writer's last call has returned.
        var truth = new HashSet<string>(writers.SelectMany(w => w.Live), StringComparer.Ordinal);
        var uncertain = new HashSet<string>(writers.SelectMany(w => w.Uncertain), StringComparer.Ordinal);
        var converging = watchers.Select(w => w.Events.Expect(e => Matches(e.Instances, truth, uncertain))).ToArray();
        var convergence = new List<double>();
        var notConverged = 0;
        // One deadline for all watchers (not one timeout each, which would add up over 100 that never converge).
        var deadline = Stopwatch.GetTimestamp() + (long)(convergeTimeout.TotalSeconds * Stopwatch.Frequency);
        foreach (var seen in converging)
        {
            try
            {
                var left = TimeSpan.FromSeconds(Math.Max(0, deadline - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency);
                convergence.Add(ScaleMachine.Between(churnStopped, await seen.WaitAsync(left, cancellationToken)));
            }
            catch (TimeoutException)
            {
                notConverged++;
            }
        }

        convergence.Sort();
        heap.Add(ScaleMachine.Retained());

        // What the registry itself holds, read by a client that took no part.
        await using var reader = await backend.ConnectAsync(session, cancellationToken);
        var registry = new HashSet<string>(await reader.ListAsync(path, cancellationToken), StringComparer.Ordinal);
        var lost = truth.Count(i => !registry.Contains(i));
        var ghosts = registry.Count(i => !truth.Contains(i) && !uncertain.Contains(i));
        var uncertainPresent = uncertain.Count(registry.Contains);
        load.Add(ScaleMachine.LoadAverage());

        var ops = writers.Sum(w => w.Registered + w.Deregistered);
        ScenarioFigures.PrintJson(new Dictionary<string, object>
        {
            ["scenario"] = Name,
            ["backend"] = backend.Kind,
            ["target"] = backend.Target,
            ["set"] = setSize,
            ["rate_asked"] = rate,
            ["rate_done"] = Math.Round(ops / (churnMs / 1000), 1),
            ["seconds"] = seconds,
            ["watchers"] = watcherCount,
            ["writers"] = writerCount,
            ["session_s"] = session.TotalSeconds,
            ["fill_ms"] = fillMs,
            ["watchers_synced_ms"] = watchersSyncedMs,
            ["registered"] = writers.Sum(w => w.Registered),
            ["deregistered"] = writers.Sum(w => w.Deregistered),
            ["failed_calls"] = writers.Sum(w => w.Failed),
            ["first_failure"] = writers.Select(w => w.FirstFailure).FirstOrDefault(f => f is not null) ?? string.Empty,
            ["restarts"] = string.Join("; ", restartLog),
            ["final_set"] = truth.Count,
            ["uncertain"] = uncertain.Count,
            ["uncertain_in_registry"] = uncertainPresent,
            ["lost_registrations"] = lost,
            ["ghosts"] = ghosts,
            ["converged"] = convergence.Count,
            ["not_converged"] = notConverged,
            ["convergence_p50_ms"] = convergence.Count == 0 ? -1 : ScenarioFigures.Round(ScenarioFigures.Percentile(convergence, 50)),
            ["convergence_p99_ms"] = convergence.Count == 0 ? -1 : ScenarioFigures.Round(ScenarioFigures.Percentile(convergence, 99)),
            ["convergence_max_ms"] = convergence.Count == 0 ? -1 : ScenarioFigures.Round(convergence[^1]),
            ["events_per_watcher_p50"] = Median(watchers.Select(w => (double)w.Events.Count)),
            ["watcher_errors"] = watchers.Sum(w => w.Errors),
            // CPU seconds per second of churn: this process (writers and watchers) and the servers it started (a
            // restarted server's earlier CPU is not counted).
            ["client_cpu_per_s"] = Math.Round(clientCpu / (churnMs / 1000), 2),
            ["server_cpu_per_s"] = Math.Round(serverCpu / (churnMs / 1000), 2),
            ["heap_mb"] = string.Join('/', heap.Select(b => (b / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture))),
            ["load_avg"] = string.Join('/', load.Select(l => l.ToString("0.0", CultureInfo.InvariantCulture))),
        });

        foreach (var watcher in watchers)
        {
            await watcher.DisposeAsync();
        }

        foreach (var writer in writers)
        {
            await writer.DisposeAsync();
        }

        return lost == 0 && notConverged == 0 ? 0 : 1;
    }

    /// <summary>Whether <paramref name="instances"/>, less the uncertain ones, is exactly <paramref name="truth"/>.</summary>
    private static bool Matches(IReadOnlyList<string> instances, HashSet<string> truth, HashSet<string> uncertain)
    {
        var count = 0;
        foreach (var instance in instances)
        {
            if (truth.Contains(instance))
            {
                count++;
            }
            else if (!uncertain.Contains(instance))
            {
                return false;
            }
        }

        return count == truth.Count;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : ScenarioFigures.Percentile(sorted, 50);
    }

    private static async Task SampleHeapAsync(List<long> heap, TimeSpan every, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(every);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                heap.Add(ScaleMachine.Retained());
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The churn is over.
        }
    }

    /// <summary>Restarts the leader <paramref name="restarts"/> times, evenly spread over the churn.</summary>
    private static async Task RestartAsync(ScaleBackend backend, int restarts, int seconds, TimeSpan downFor, List<string> log, long started, CancellationToken stop)
    {
        for (var i = 1; i <= restarts; i++)
        {
            var due = TimeSpan.FromSeconds(seconds * i / (double)(restarts + 1)) - Stopwatch.GetElapsedTime(started);
            try
            {
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, stop);
                }

                var at = Stopwatch.GetElapsedTime(started).TotalSeconds;
                var who = await backend.RestartLeaderAsync(downFor, CancellationToken.None);
                log.Add(string.Create(CultureInfo.InvariantCulture, $"{who} killed at {at:0.0} s, back at {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s"));
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>One registering client: its live registrations, the instances it is unsure of, and its paced churn.</summary>
    private sealed class ChurnWriter(int number, IDiscoveryClient client, string path) : IAsyncDisposable
    {
        private readonly List<RegisteredEntry> _live = [];
        private readonly ConcurrentBag<string> _uncertain = [];
        private readonly Random _random = new(number);
        private int _next;

        public int Number => number;

        public int Registered { get; private set; }

        public int Deregistered { get; private set; }

        public int Failed { get; private set; }

        public string? FirstFailure { get; private set; }

        public IEnumerable<string> Live => _live.Select(e => e.Entry.Instance);

        public IEnumerable<string> Uncertain => _uncertain;

        public async Task FillAsync(int count, CancellationToken cancellationToken)
        {
            var entries = await ScaleBackend.RegisterManyAsync(client, path, 0, count, 200, cancellationToken, _ => NextInstance());
            _live.AddRange(entries);
        }

        /// <summary>Registers and deregisters in turn (a random live one), <paramref name="perSecond"/> calls a second, one at a time, catching up when behind.</summary>
        public async Task ChurnAsync(double perSecond, CancellationToken stop)
        {
            var started = Stopwatch.GetTimestamp();
            for (long op = 0; !stop.IsCancellationRequested; op++)
            {
                var due = TimeSpan.FromSeconds(op / perSecond) - Stopwatch.GetElapsedTime(started);
                if (due > TimeSpan.FromMilliseconds(1))
                {
                    try
                    {
                        await Task.Delay(due, stop);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }

                // The call itself is never cancelled: a call cut short would leave its instance uncertain for no reason.
                if (op % 2 == 0 || _live.Count == 0)
                {
                    var instance = NextInstance();
                    try
                    {
                        _live.Add(await client.RegisterAsync(new ServiceEntry(path, instance), CancellationToken.None));
                        Registered++;
                    }
                    catch (Exception ex) when (ex is not OutOfMemoryException)
                    {
                        Fail(instance, ex);
                    }
                }
                else
                {
                    var index = _random.Next(_live.Count);
                    var entry = _live[index];
                    _live[index] = _live[^1];
                    _live.RemoveAt(_live.Count - 1);
                    try
                    {
                        await client.DeregisterAsync(entry, CancellationToken.None);
                        Deregistered++;
                    }
                    catch (Exception ex) when (ex is not OutOfMemoryException)
                    {
                        Fail(entry.Entry.Instance, ex);
                    }
                }
            }
        }

        public ValueTask DisposeAsync() => client.DisposeAsync();

        private void Fail(string instance, Exception error)
        {
            Failed++;
            FirstFailure ??= $"{error.GetType().Name}: {error.Message}";
            _uncertain.Add(instance);
        }

        private string NextInstance()
        {
            var n = _next++;
            return string.Create(CultureInfo.InvariantCulture, $"10.{number % 256}.{n / 256 % 256}.{n % 256}:{1024 + (n / 65536)}");
        }
    }

    /// <summary>One watching client (its own session or etcd client) with an Instancer on the path.</summary>
    private sealed class ChurnWatcher : IAsyncDisposable, IObserver<InstanceEvent>
    {
        private readonly IDiscoveryClient _client;
        private readonly Instancer _instancer;
        private readonly IDisposable _errors;

        private ChurnWatcher(IDiscoveryClient client, string path)
        {
            _client = client;
            _instancer = new Instancer(client, path);
            Events = new StampingObserver<InstanceEvent>(_instancer);
            _errors = _instancer.Subscribe(this);
        }

        public StampingObserver<InstanceEvent> Events { get; }

        public int Errors { get; private set; }

        public static async Task<ChurnWatcher> StartAsync(ScaleBackend backend, TimeSpan session, string path, CancellationToken cancellationToken)
            => new(await backend.ConnectAsync(session, cancellationToken), path);

        public void OnNext(InstanceEvent value)
        {
            if (value.Error is not null)
            {
                Errors++;
            }
        }

        public void OnError(Exception error) => Errors++;

        public void OnCompleted()
        {
        }

        public async ValueTask DisposeAsync()
        {
            _errors.Dispose();
            Events.Dispose();
            await _instancer.DisposeAsync();
            await _client.DisposeAsync();
        }
    }
}
