using System.Globalization;
using BenchmarkDotNet.Attributes;
using SdKit.Endpoints;
using SdKit.Instances;
using SdKit.Instances.Codecs;
using SdKit.LoadBalancing;

namespace SdKit.Benchmarks.Micro;

/// <summary>
/// What a 10,000-instance update with metadata costs from the instancer event to the weighted balancer: the
/// endpointer's merge (one instance replaced) and then the first pick, which decodes the new string (the others are
/// reused from the previous set) and rebuilds the balancer's tables. The baseline applies the same update and picks
/// with the unweighted random balancer.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class WeightedRebuildBenchmarks
{
    private Endpointer<object> _endpointer = null!;
    private IBalancer<object> _random = null!;
    private IBalancer<object> _weightedRandom = null!;
    private IBalancer<object> _smoothWeighted = null!;
    private IBalancer<object> _zoneAware = null!;
    private InstanceEvent _first = null!;
    private InstanceEvent _second = null!;
    private bool _flip;

    /// <summary>Gets or sets the number of instances.</summary>
    [Params(10_000)]
    public int Instances { get; set; }

    /// <summary>Builds the endpointer over the first set, in SdKit JSON with weights, zones and a version.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var instances = Enumerable.Range(0, Instances).Select(Json).ToArray();
        var second = (string[])instances.Clone();
        second[Instances / 2] = Json(Instances + 1);
        (_first, _second) = (new InstanceEvent(instances), new InstanceEvent(second));
        _endpointer = MicroSetup.Endpointer(_first);
        var codec = SdKitJsonCodec.Instance;
        _random = Balancers.Random(_endpointer);
        _weightedRandom = Balancers.WeightedRandom(_endpointer, codec);
        _smoothWeighted = Balancers.SmoothWeightedRoundRobin(_endpointer, codec);
        _zoneAware = Balancers.ZoneAware(_endpointer, codec, new ZoneAwareOptions { LocalZone = "z1" }, Balancers.Random);
        foreach (var balancer in new[] { _random, _weightedRandom, _smoothWeighted, _zoneAware })
        {
            _ = balancer.Pick();
        }
    }

    /// <summary>Disposes the endpointer.</summary>
    [GlobalCleanup]
    public void Cleanup() => _endpointer.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>The update, then a random pick (nothing to rebuild).</summary>
    [Benchmark(Baseline = true)]
    public object UpdateThenRandomPick() => UpdateThenPick(_random);

    /// <summary>The update, then a weighted random pick (one decode, the alias table rebuilt).</summary>
    [Benchmark]
    public object UpdateThenWeightedRandomPick() => UpdateThenPick(_weightedRandom);

    /// <summary>The update, then a smooth weighted round-robin pick (one decode, the period rebuilt).</summary>
    [Benchmark]
    public object UpdateThenSmoothWeightedPick() => UpdateThenPick(_smoothWeighted);

    /// <summary>The update, then a zone-aware pick (one decode, the zones cut again).</summary>
    [Benchmark]
    public object UpdateThenZoneAwarePick() => UpdateThenPick(_zoneAware);

    private static string Json(int i)
        => string.Create(CultureInfo.InvariantCulture, $$$"""{"host":"10.{{{(i >> 16) & 255}}}.{{{(i >> 8) & 255}}}.{{{i & 255}}}","port":8080,"weight":{{{(i % 4) + 1}}},"zone":"z{{{(i % 3) + 1}}}","metadata":{"version":"{{{i % 2}}}"}}""");

    private object UpdateThenPick(IBalancer<object> balancer)
    {
        _flip = !_flip;
        _endpointer.Apply(_flip ? _second : _first);
        return balancer.Pick();
    }
}
