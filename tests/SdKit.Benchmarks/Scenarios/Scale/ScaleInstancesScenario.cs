using System.Diagnostics;
using System.Globalization;
using SdKit.Client;
using SdKit.Endpoints;
using SdKit.Instances;
using SdKit.LoadBalancing;

namespace SdKit.Benchmarks.Scenarios.Scale;

/// <summary>
/// <c>scale-instances</c>: one service path holding N instances (N from <c>--sizes</c>), on ZooKeeper or etcd. For
/// each size: a new discovery client, Instancer, Endpointer and random balancer until the balancer holds all N
/// (initial sync), the bytes that pipeline retains per instance, then single changes (one instance added, then
/// removed again) timed from the registry call to the Instancer's event and to the balancer's set, and the CPU cost
/// of one change at each stage in this process (<see cref="ChangeStageCost"/>).
/// </summary>
internal sealed class ScaleInstancesScenario : IScenario
{
    public string Name => "scale-instances";

    public string Usage => "--backend zk|etcd --zk HOSTS|local | --etcd URLS|local [--sizes 1000,10000,100000] [--rounds 3] [--changes 20] [--max-frame-mb 16] [--fill-in-flight 1000] [--watch-mode recursive|children]";

    public async Task<int> RunAsync(ScenarioArguments arguments, CancellationToken cancellationToken)
    {
        var sizes = arguments.String("sizes", "1000,10000,100000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var rounds = Math.Max(1, arguments.Int("rounds", 3));
        var changes = Math.Max(2, arguments.Int("changes", 20));

        // A loaded machine lets 1,000 etcd puts in flight (each with its lease) run past the 5 s call timeout.
        var fillInFlight = Math.Max(1, arguments.Int("fill-in-flight", 1000));
        await using var backend = await ScaleBackend.StartAsync(arguments);
        var session = TimeSpan.FromSeconds(4);
        // The filling client's lease or session outlives a loaded machine's stalls (a 10 s etcd lease was lost mid-fill at load 13).
        await using var registering = await backend.ConnectAsync(TimeSpan.FromSeconds(30), cancellationToken);
        foreach (var size in sizes)
        {
            var path = $"/sdkit-bench/{Guid.NewGuid():N}/svc";
            var filled = Stopwatch.GetTimestamp();
            var entries = await ScaleBackend.RegisterManyAsync(registering, path, 0, size, fillInFlight, cancellationToken);
            var fillMs = ScaleMachine.Since(filled);
            var syncs = new List<double>();
            var perInstance = new List<double>();
            var toInstancer = new List<double>();
            var toBalancer = new List<double>();
            var fromCall = new List<double>();
            var instancerToBalancer = new List<double>();
            long allocatedPerChange = 0;
            var load = new List<double> { ScaleMachine.LoadAverage() };
            for (var round = 0; round < rounds; round++)
            {
                var baseline = ScaleMachine.Retained();
                var started = Stopwatch.GetTimestamp();
                var client = await backend.ConnectAsync(session, cancellationToken);
                var instancer = new Instancer(client, path);
                var endpointer = new Endpointer<string>(instancer, instance => (instance, null));
                var balancer = Balancers.Random(endpointer);
                using var sets = new StampingObserver<IReadOnlyList<string>>(endpointer);
                using var events = new StampingObserver<InstanceEvent>(instancer);
                var synced = await sets.Expect(s => s.Count == size).WaitAsync(TimeSpan.FromMinutes(3), cancellationToken);
                syncs.Add(ScaleMachine.Between(started, synced));
                _ = balancer.Pick();

                // What the synced pipeline keeps (client, Instancer, Endpointer, balancer), less the instance strings' own bytes.
                var retained = ScaleMachine.Retained() - baseline;
                var dataBytes = endpointer.Current.Sum(StringBytes);
                perInstance.Add((retained - dataBytes) / (double)size);

                var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                for (var change = 0; change < changes; change++)
                {
                    var instance = ScaleBackend.Instance(size + 1 + round);
                    var eventSeen = events.Expect(e => e.Instances.Length == size + 1);
                    var setSeen = sets.Expect(s => s.Count == size + 1);
                    var called = Stopwatch.GetTimestamp();
                    var added = await registering.RegisterAsync(new ServiceEntry(path, instance), cancellationToken);
                    var returned = Stopwatch.GetTimestamp();
                    var eventAt = await eventSeen.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
                    var setAt = await setSeen.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
                    if (change >= 2)
                    {
                        // The first two changes warm the path up.
                        toInstancer.Add(ScaleMachine.Between(returned, eventAt));
                        toBalancer.Add(ScaleMachine.Between(returned, setAt));
                        fromCall.Add(ScaleMachine.Between(called, setAt));
                        instancerToBalancer.Add(ScaleMachine.Between(eventAt, setAt));
                    }

                    var gone = sets.Expect(s => s.Count == size);
                    await registering.DeregisterAsync(added, cancellationToken);
                    await gone.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
                }

                allocatedPerChange = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / (2 * changes);
                await endpointer.DisposeAsync();
                await instancer.DisposeAsync();
                await client.DisposeAsync();
                load.Add(ScaleMachine.LoadAverage());
            }

            var (sortMs, sortedCheckMs) = EventCost(size);
            foreach (var list in new[] { syncs, toInstancer, toBalancer, fromCall, instancerToBalancer, perInstance })
            {
                list.Sort();
            }

            var figures = new Dictionary<string, object>
            {
                ["scenario"] = Name,
                ["backend"] = backend.Kind,
                ["target"] = backend.Target,
                ["watch_mode"] = backend.IsZooKeeper ? backend.WatchMode.ToString() : "-",
                ["instances"] = size,
                ["rounds"] = rounds,
                ["fill_ms"] = fillMs,
                ["sync_p50_ms"] = ScenarioFigures.Round(ScenarioFigures.Percentile(syncs, 50)),
                ["sync_min_ms"] = ScenarioFigures.Round(syncs[0]),
                ["sync_max_ms"] = ScenarioFigures.Round(syncs[^1]),
                ["retained_bytes_per_instance_beyond_data"] = Math.Round(ScenarioFigures.Percentile(perInstance, 50), 1),
                ["change_to_instancer_p50_ms"] = ScenarioFigures.Round(ScenarioFigures.Percentile(toInstancer, 50)),
                ["change_to_balancer_p50_ms"] = ScenarioFigures.Round(ScenarioFigures.Percentile(toBalancer, 50)),
                ["change_to_balancer_max_ms"] = ScenarioFigures.Round(toBalancer[^1]),
                ["change_from_call_p50_ms"] = ScenarioFigures.Round(ScenarioFigures.Percentile(fromCall, 50)),
                ["instancer_to_balancer_p50_ms"] = ScenarioFigures.Round(ScenarioFigures.Percentile(instancerToBalancer, 50)),
                ["allocated_bytes_per_change"] = allocatedPerChange,
                ["cpu_event_sort_ms"] = sortMs,
                ["cpu_event_presorted_ms"] = sortedCheckMs,
                ["load_avg"] = string.Join('/', load.Select(l => l.ToString("0.0", CultureInfo.InvariantCulture))),
            };
            foreach (var (key, value) in ChangeStageCost.Measure(size))
            {
                figures[key] = value;
            }

            ScenarioFigures.PrintJson(figures);

            foreach (var chunk in entries.Chunk(1000))
            {
                await Task.WhenAll(chunk.Select(e => registering.DeregisterAsync(e, cancellationToken).AsTask()));
            }
        }

        return 0;
    }

    /// <summary>A string's heap size on 64-bit .NET: 20 bytes of header, length and terminator, two per char, rounded up to 8.</summary>
    private static long StringBytes(string s) => (22 + (2L * s.Length) + 7) / 8 * 8;

    /// <summary>The CPU cost, in the runner's process, of building one <see cref="InstanceEvent"/> of <paramref name="size"/> instances from an unordered and from an ordered list.</summary>
    private static (double Unordered, double Ordered) EventCost(int size)
    {
        var ordered = Enumerable.Range(0, size).Select(ScaleBackend.Instance).Order(StringComparer.Ordinal).ToArray();
        var unordered = ordered.OrderBy(s => s.GetHashCode(StringComparison.Ordinal)).ToArray();
        double Time(string[] list)
        {
            var best = double.MaxValue;
            for (var i = 0; i < 5; i++)
            {
                var started = Stopwatch.GetTimestamp();
                _ = new InstanceEvent(list);
                best = Math.Min(best, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            return ScenarioFigures.Round(best);
        }

        return (Time(unordered), Time(ordered));
    }
}
