using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using SdKit.Endpoints;
using SdKit.LoadBalancing;
using SdKit.Outliers;

namespace SdKit.Benchmarks.Scenarios.Outliers;

/// <summary>
/// <c>outlier-balancing</c>: five simulated instances in one process on a simulated clock (a discrete-event loop, so
/// a run is fast and its latencies are the seeded model's, not the machine's). Closed-loop callers each send one call,
/// wait for its simulated end, and send the next, without retries. Fleets: one instance failing every call (after
/// 0.2 ms); one instance 10x slower; and the four healthy instances alone, the baseline of the slow case. For each
/// balancer, with and without outlier ejection: success rate, p50/p99 latency, calls sent to the bad instance.
/// </summary>
public sealed class OutlierBalancingScenario : IScenario
{
    private const string Bad = "i0";

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
        foreach (var fleet in new[] { "failing", "slow", "healthy-four" })
        {
            foreach (var kind in new[] { "random", "round-robin", "least-outstanding", "peak-ewma" })
            {
                foreach (var ejection in new[] { false, true })
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var figures = Run(fleet, kind, ejection, calls, callers, seed);
                    ScenarioFigures.PrintJson(figures);
                }
            }
        }

        PrintPickCost();
        return Task.FromResult(0);
    }

    private static Dictionary<string, object> Run(string fleet, string kind, bool ejection, int calls, int callers, int seed)
    {
        var clock = new FakeTimeProvider();
        var names = fleet == "healthy-four" ? new[] { "i1", "i2", "i3", "i4" } : ["i0", "i1", "i2", "i3", "i4"];
        var endpointer = new FixedEndpointer<string>(names);
        var balancer = Balancer(kind, endpointer, clock);
        if (ejection)
        {
            balancer = OutlierEjection.Create(endpointer, balancer, new OutlierOptions
            {
                ConsecutiveFailures = 5,
                BaseEjectionTime = TimeSpan.FromMilliseconds(200),
                MaxEjectionTime = TimeSpan.FromSeconds(2),
                MaxEjectedFraction = 0.5,
                TimeProvider = clock,
            });
        }

        var random = new Random(seed);
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
            var fails = isBad && fleet == "failing";
            var latency = fails ? 0.2 : Latency(random) * (isBad && fleet == "slow" ? 10 : 1);
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

    /// <summary>Wall-clock cost of a Pick, bare and wrapped in ejection (nothing ejected), on this machine; and allocations.</summary>
    private static void PrintPickCost()
    {
        const int Picks = 20_000_000;
        var endpointer = new FixedEndpointer<string>(["i0", "i1", "i2", "i3", "i4"]);
        foreach (var kind in new[] { "round-robin", "least-outstanding", "peak-ewma" })
        {
            var bare = Balancer(kind, endpointer, TimeProvider.System);
            var wrapped = OutlierEjection.Create(endpointer, Balancer(kind, endpointer, TimeProvider.System));
            var bareNs = PickNanoseconds(bare, Picks, out var bareBytes);
            var wrappedNs = PickNanoseconds(wrapped, Picks, out var wrappedBytes);
            ScenarioFigures.PrintJson(new Dictionary<string, object>
            {
                ["scenario"] = "outlier-balancing-pick",
                ["balancer"] = kind,
                ["bare_pick_ns"] = Math.Round(bareNs, 2),
                ["ejection_pick_ns"] = Math.Round(wrappedNs, 2),
                ["ratio"] = Math.Round(wrappedNs / bareNs, 2),
                ["bare_bytes"] = bareBytes,
                ["ejection_bytes"] = wrappedBytes,
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
