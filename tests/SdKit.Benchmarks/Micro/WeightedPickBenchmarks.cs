using System.Globalization;
using BenchmarkDotNet.Attributes;
using SdKit.Endpoints;
using SdKit.Instances;
using SdKit.Instances.Codecs;
using SdKit.LoadBalancing;

namespace SdKit.Benchmarks.Micro;

/// <summary>
/// The weighted and zone-aware picks (issue #15) beside the unweighted pick of the same balancer, over one endpointer
/// whose instances are SdKit JSON with weights 1..4 in three zones: random vs weighted random, round robin vs smooth
/// weighted round robin, least outstanding vs weighted P2C, random vs zone-aware over random. Time per operation as
/// in <see cref="EndpointReadBenchmarks"/> (wall time over all threads).
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class WeightedPickBenchmarks
{
    private const int Operations = 1 << 20;

    private Endpointer<object> _endpointer = null!;
    private IBalancer<object> _random = null!;
    private IBalancer<object> _weightedRandom = null!;
    private IBalancer<object> _roundRobin = null!;
    private IBalancer<object> _smoothWeighted = null!;
    private IBalancer<object> _leastOutstanding = null!;
    private IBalancer<object> _weightedLeastOutstanding = null!;
    private IBalancer<object> _zoneAware = null!;
    private PairedThread? _pair;
    private int _perThread;

    /// <summary>Gets or sets the number of endpoints.</summary>
    [Params(2, 10_000)]
    public int Endpoints { get; set; }

    /// <summary>Gets or sets the number of threads picking at once.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Builds the endpointer and the balancers, and warms every table (built on the first pick of a set).</summary>
    [GlobalSetup]
    public void Setup()
    {
        var instances = Enumerable.Range(0, Endpoints)
            .Select(i => string.Create(CultureInfo.InvariantCulture, $$"""{"host":"10.0.{{i >> 8}}.{{i & 255}}","port":8080,"weight":{{(i % 4) + 1}},"zone":"z{{(i % 3) + 1}}"}"""))
            .ToArray();
        _endpointer = MicroSetup.Endpointer(new InstanceEvent(instances));
        var codec = SdKitJsonCodec.Instance;
        _random = Balancers.Random(_endpointer);
        _weightedRandom = Balancers.WeightedRandom(_endpointer, codec);
        _roundRobin = Balancers.RoundRobin(_endpointer);
        _smoothWeighted = Balancers.SmoothWeightedRoundRobin(_endpointer, codec);
        _leastOutstanding = Balancers.LeastOutstanding(_endpointer);
        _weightedLeastOutstanding = Balancers.WeightedLeastOutstanding(_endpointer, codec);

        // MinClusterSize 0 so the 2-endpoint case is zoned too: z1 holds 1 of 3 units there, a third of the callers'
        // share of 1/2, so a third of the picks spill; over 10,000 the zones hold about a third each.
        _zoneAware = Balancers.ZoneAware(_endpointer, codec, new ZoneAwareOptions { LocalZone = "z1", MinClusterSize = 0 }, Balancers.Random);
        foreach (var balancer in new[] { _random, _weightedRandom, _roundRobin, _smoothWeighted, _leastOutstanding, _weightedLeastOutstanding, _zoneAware })
        {
            _ = balancer.Pick();
        }

        _pair = Threads == 2 ? new PairedThread() : null;
        _perThread = Operations / Threads;
    }

    /// <summary>Stops the paired thread.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _pair?.Dispose();
        _endpointer.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Unweighted random.</summary>
    [Benchmark(OperationsPerInvoke = Operations)]
    public long PickRandom() => Run(() => PickLoop(_random, _perThread));

    /// <summary>Weighted random (alias method).</summary>
    [Benchmark(OperationsPerInvoke = Operations)]
    public long PickWeightedRandom() => Run(() => PickLoop(_weightedRandom, _perThread));

    /// <summary>Round robin.</summary>
    [Benchmark(OperationsPerInvoke = Operations)]
    public long PickRoundRobin() => Run(() => PickLoop(_roundRobin, _perThread));

    /// <summary>Smooth weighted round robin.</summary>
    [Benchmark(OperationsPerInvoke = Operations)]
    public long PickSmoothWeightedRoundRobin() => Run(() => PickLoop(_smoothWeighted, _perThread));

    /// <summary>Least outstanding (P2C).</summary>
    [Benchmark(OperationsPerInvoke = Operations)]
    public long PickLeastOutstanding() => Run(() => PickLoop(_leastOutstanding, _perThread));

    /// <summary>Weighted P2C least outstanding.</summary>
    [Benchmark(OperationsPerInvoke = Operations)]
    public long PickWeightedLeastOutstanding() => Run(() => PickLoop(_weightedLeastOutstanding, _perThread));

    /// <summary>Zone-aware over random.</summary>
    [Benchmark(OperationsPerInvoke = Operations)]
    public long PickZoneAwareRandom() => Run(() => PickLoop(_zoneAware, _perThread));

    // Inlined into each benchmark's lambda so each balancer has its own call site (see EndpointReadBenchmarks).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static long PickLoop(IBalancer<object> balancer, int count)
    {
        long sum = 0;
        for (var i = 0; i < count; i++)
        {
            if (balancer.Pick() is null)
            {
                sum++;
            }
        }

        return sum;
    }

    private long Run(Func<long> loop) => _pair is null ? loop() : _pair.RunBoth(loop);
}
