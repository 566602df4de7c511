using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using SdKit.Endpoints;
using SdKit.Instances;
using SdKit.LoadBalancing;
using SdKit.Outliers;

namespace SdKit.Benchmarks.Scenarios.Outliers;

/// <summary>
/// <c>outlier-balancing</c>: five simulated instances in one process on a simulated clock (a discrete-event loop, so
/// a run is fast and its latencies are the seeded model's, not the machine's). Closed-loop callers each send one call,
/// wait for its simulated end, and send the next, without retries. Fleets: one instance failing every call (after
/// 0.2 ms); one failing a fifth of its calls (<c>flaky</c>, for the failure-percentage detector); one instance 10x
/// slower; the four healthy instances alone, the baseline of the slow case; and <c>cold-start</c>, where the fifth
/// instance joins after 1 s, 10x slow at first and warming up over 3 s, with and without slow start. For each
/// balancer, with no ejection, the consecutive detector, or the failure-percentage detector: success rate, p50/p99
/// latency, calls sent to the bad instance.
/// </summary>
public sealed class OutlierBalancingScenario : IScenario
{
    private const string Bad = "i0";

    private static readonly string[] Kinds = ["random", "round-robin", "least-outstanding", "peak-ewma"];

    /// <inheritdoc/>
    public string Name => "outlier-balancing";

    /// <inheritdoc/>
    public string Usage => "[--calls 40000] [--callers 16] [--seed 17]";

    /// <inheritdoc/>
    public Task<int> RunAsync(ScenarioArguments arguments, CancellationToken cancellationToken)
    {
        var calls = arguments.Int("calls", 40_000);
        var callers = arguments.Int("callers", 16);
        var seed = arguments.Int("seed", 17);
        foreach (var fleet in new[] { "failing", "flaky", "slow", "healthy-four" })
        {
            foreach (var kind in Kinds)
            {
                foreach (var ejection in fleet is "failing" or "flaky" ? new[] { "no", "consecutive", "failure-percentage" } : ["no", "consecutive"])
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var figures = Run(fleet, kind, ejection, calls, callers, seed);
                    ScenarioFigures.PrintJson(figures);
                }
            }
        }

        foreach (var kind in Kinds)
        {
            foreach (var slowStart in new[] { false, true })
            {
                cancellationToken.ThrowIfCancellationRequested();
                ScenarioFigures.PrintJson(RunColdStart(kind, slowStart, callers, seed));
            }
        }

        PrintPickCost();
        return Task.FromResult(0);
    }

    private static IBalancer<string> WithEjection(string ejection, IEndpointer<string> endpointer, IBalancer<string> balancer, TimeProvider clock) => ejection switch
    {
        "no" => balancer,
        _ => OutlierEjection.Create(endpointer, balancer, new OutlierOptions
        {
            ConsecutiveFailures = ejection == "consecutive" ? 5 : int.MaxValue,
            FailurePercentageThreshold = ejection == "consecutive" ? null : 15,
            FailurePercentageMinimumRequests = 50,
            FailurePercentageInterval = TimeSpan.FromSeconds(1),
            BaseEjectionTime = TimeSpan.FromMilliseconds(200),
            MaxEjectionTime = TimeSpan.FromSeconds(2),
            MaxEjectedFraction = 0.5,
            TimeProvider = clock,
        }),
    };

    private static Dictionary<string, object> Run(string fleet, string kind, string ejection, int calls, int callers, int seed)
    {
        var clock = new FakeTimeProvider();
        var names = fleet == "healthy-four" ? new[] { "i1", "i2", "i3", "i4" } : ["i0", "i1", "i2", "i3", "i4"];
        var endpointer = new FixedEndpointer<string>(names);
        var balancer = WithEjection(ejection, endpointer, Balancer(kind, endpointer, clock), clock);

        var random = new Random(seed);
        var flakes = new Random(seed + 1);
        var pending = new PriorityQueue<(BalancerLease<string> Lease, bool Fails, long Start), long>();
        var latencies = new List<double>(calls);
        long now = 0;
        var sent = 0;
        var ok = 0;
        var toBad = 0;

        void Send()
        {
            var lease = balancer.Acquire();
            sent++;
            var isBad = lease.Endpoint == Bad;
            toBad += isBad ? 1 : 0;
            var fails = isBad && (fleet == "failing" || (fleet == "flaky" && flakes.NextDouble() < 0.2));
            var latency = fails && fleet == "failing" ? 0.2 : Latency(random) * (isBad && fleet == "slow" ? 10 : 1);
            pending.Enqueue((lease, fails, now), now + (long)(latency * TimeSpan.TicksPerMillisecond));
        }

        for (var i = 0; i < callers; i++)
        {
            Send();
        }

        while (pending.TryDequeue(out var call, out var end))
        {
            clock.Advance(TimeSpan.FromTicks(end - now));
            now = end;
            call.Lease.Complete(call.Fails ? new InvalidOperationException("simulated failure") : null);
            ok += call.Fails ? 0 : 1;
            latencies.Add((double)(end - call.Start) / TimeSpan.TicksPerMillisecond);
            if (sent < calls)
            {
                Send();
            }
        }

        latencies.Sort();
        return new Dictionary<string, object>
        {
            ["scenario"] = "outlier-balancing",
            ["fleet"] = fleet,
            ["balancer"] = kind,
            ["ejection"] = ejection,
            ["calls"] = calls,
            ["success_percent"] = Math.Round(100.0 * ok / calls, 2),
            ["p50_ms"] = ScenarioFigures.Round(ScenarioFigures.Percentile(latencies, 50)),
            ["p99_ms"] = ScenarioFigures.Round(ScenarioFigures.Percentile(latencies, 99)),
            ["calls_to_bad"] = toBad,
            ["simulated_seconds"] = Math.Round((double)now / TimeSpan.TicksPerSecond, 2),
        };
    }

    /// <summary>
    /// <c>cold-start</c>: <c>i1</c>..<c>i4</c> serve from the start; <c>i0</c> joins at 1 s, its latency 10x at first
    /// and falling linearly to 1x over 3 s (a cold cache, code not yet compiled). Calls until 5 s; figures over the calls
    /// sent between 1 s and 4 s (the join and its 3 s slow-start window), and <c>i0</c>'s share in each of those seconds.
    /// </summary>
    private static Dictionary<string, object> RunColdStart(string kind, bool slowStart, int callers, int seed)
    {
        const long Join = TimeSpan.TicksPerSecond;
        const long Warm = 3 * TimeSpan.TicksPerSecond;
        const long Stop = 5 * TimeSpan.TicksPerSecond;
        var clock = new FakeTimeProvider();
        var endpointer = new Endpointer<string>(new FixedInstancer("i1", "i2", "i3", "i4"), i => (i, null));
        endpointer.Apply(new InstanceEvent(["i1", "i2", "i3", "i4"]));
        var balancer = Balancer(kind, endpointer, clock);
        if (slowStart)
        {
            balancer = SlowStart.Create(endpointer, balancer, new SlowStartOptions { Window = TimeSpan.FromTicks(Warm), TimeProvider = clock });
        }

        var random = new Random(seed);
        var pending = new PriorityQueue<(BalancerLease<string> Lease, long Start), long>();
        var latencies = new List<double>();
        var perSecond = new int[3];
        var totalPerSecond = new int[3];
        long now = 0;
        var joined = false;

        void Send()
        {
            if (!joined && now >= Join)
            {
                endpointer.Apply(new InstanceEvent(["i0", "i1", "i2", "i3", "i4"]));
                joined = true;
            }

            var lease = balancer.Acquire();
            var cold = lease.Endpoint == Bad ? 1 + (9 * Math.Max(0, 1 - ((now - Join) / (double)Warm))) : 1;
            var latency = Latency(random) * cold;
            if (now >= Join && now < Join + Warm)
            {
                var second = (int)((now - Join) / TimeSpan.TicksPerSecond);
                totalPerSecond[second]++;
                perSecond[second] += lease.Endpoint == Bad ? 1 : 0;
            }

            pending.Enqueue((lease, now), now + (long)(latency * TimeSpan.TicksPerMillisecond));
        }

        for (var i = 0; i < callers; i++)
        {
            Send();
        }

        while (pending.TryDequeue(out var call, out var end))
        {
            clock.Advance(TimeSpan.FromTicks(end - now));
            now = end;
            call.Lease.Complete();
            if (call.Start >= Join && call.Start < Join + Warm)
            {
                latencies.Add((double)(end - call.Start) / TimeSpan.TicksPerMillisecond);
            }

            if (now < Stop)
            {
                Send();
            }
        }

        latencies.Sort();
        return new Dictionary<string, object>
        {
            ["scenario"] = "outlier-balancing-cold-start",
            ["balancer"] = kind,
            ["slow_start"] = slowStart,
            ["calls_in_window"] = latencies.Count,
            ["p50_ms"] = ScenarioFigures.Round(ScenarioFigures.Percentile(latencies, 50)),
            ["p99_ms"] = ScenarioFigures.Round(ScenarioFigures.Percentile(latencies, 99)),
            ["new_share_percent_by_second"] = perSecond.Select((n, i) => Math.Round(100.0 * n / Math.Max(1, totalPerSecond[i]), 2)).ToArray(),
            ["calls_to_new"] = perSecond.Sum(),
        };
    }

    /// <summary>A healthy call's latency in ms: log-normal around 1 ms (sigma 0.3), from the seeded generator.</summary>
    private static double Latency(Random random)
    {
        var u1 = 1 - random.NextDouble();
        var u2 = random.NextDouble();
        var normal = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        return Math.Exp(0.3 * normal);
    }

    private static IBalancer<string> Balancer(string kind, IEndpointer<string> endpointer, TimeProvider clock) => kind switch
    {
        "random" => Balancers.Random(endpointer),
        "round-robin" => Balancers.RoundRobin(endpointer),
        "least-outstanding" => Balancers.LeastOutstanding(endpointer),
        _ => Balancers.PeakEwma(endpointer, new PeakEwmaOptions { TimeProvider = clock, DecayTime = TimeSpan.FromSeconds(1) }),
    };

    /// <summary>
    /// Wall-clock cost of a Pick, bare, wrapped in ejection (both detectors on, nothing ejected), and wrapped in slow
    /// start (no ramp, and while the fifth endpoint ramps); and allocations.
    /// </summary>
    private static void PrintPickCost()
    {
        const int Picks = 20_000_000;
        var endpointer = new FixedEndpointer<string>(["i0", "i1", "i2", "i3", "i4"]);
        var ramping = new Endpointer<string>(new FixedInstancer("i1", "i2", "i3", "i4"), i => (i, null));
        ramping.Apply(new InstanceEvent(["i1", "i2", "i3", "i4"]));
        foreach (var kind in new[] { "round-robin", "least-outstanding", "peak-ewma" })
        {
            var bare = Balancer(kind, endpointer, TimeProvider.System);
            var wrapped = OutlierEjection.Create(endpointer, Balancer(kind, endpointer, TimeProvider.System), new OutlierOptions { FailurePercentageThreshold = 85 });
            var slow = SlowStart.Create(endpointer, Balancer(kind, endpointer, TimeProvider.System));
            ramping.Apply(new InstanceEvent(["i1", "i2", "i3", "i4"]));
            // An hour's window on the real clock: i0 stays near the start of its ramp (factor 10 %) while it is measured.
            var ramp = SlowStart.Create(ramping, Balancer(kind, ramping, TimeProvider.System), new SlowStartOptions { Window = TimeSpan.FromHours(1) });
            ramp.Pick();
            ramping.Apply(new InstanceEvent(["i0", "i1", "i2", "i3", "i4"]));
            ramp.Pick();
            var bareNs = PickNanoseconds(bare, Picks, out var bareBytes);
            var wrappedNs = PickNanoseconds(wrapped, Picks, out var wrappedBytes);
            var slowNs = PickNanoseconds(slow, Picks, out var slowBytes);
            var rampNs = PickNanoseconds(ramp, Picks, out var rampBytes);
            ScenarioFigures.PrintJson(new Dictionary<string, object>
            {
                ["scenario"] = "outlier-balancing-pick",
                ["balancer"] = kind,
                ["bare_pick_ns"] = Math.Round(bareNs, 2),
                ["ejection_pick_ns"] = Math.Round(wrappedNs, 2),
                ["ratio"] = Math.Round(wrappedNs / bareNs, 2),
                ["slow_start_pick_ns"] = Math.Round(slowNs, 2),
                ["slow_start_ratio"] = Math.Round(slowNs / bareNs, 2),
                ["ramping_pick_ns"] = Math.Round(rampNs, 2),
                ["ramping_ratio"] = Math.Round(rampNs / bareNs, 2),
                ["bare_bytes"] = bareBytes,
                ["ejection_bytes"] = wrappedBytes,
                ["slow_start_bytes"] = slowBytes,
                ["ramping_bytes"] = rampBytes,
            });
        }
    }

    private static double PickNanoseconds(IBalancer<string> balancer, int picks, out long bytes)
    {
        for (var i = 0; i < 100_000; i++)
        {
            balancer.Pick();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < picks; i++)
        {
            balancer.Pick();
        }

        watch.Stop();
        bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        return watch.Elapsed.TotalNanoseconds / picks;
    }
}
