using BenchmarkDotNet.Attributes;
using SdKit.Endpoints;
using SdKit.Instances;

namespace SdKit.Benchmarks.Micro;

/// <summary>
/// One endpointer update over 10,000 instances in which one instance is replaced: the merge, one factory call, one
/// closer queued for disposal and a new immutable snapshot published.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class EndpointerUpdateBenchmarks
{
    private Endpointer<object> _endpointer = null!;
    private InstanceEvent _first = null!;
    private InstanceEvent _second = null!;
    private bool _flip;

    /// <summary>Gets or sets the number of instances.</summary>
    [Params(10_000)]
    public int Instances { get; set; }

    /// <summary>Builds the endpointer over the first set.</summary>
    [GlobalSetup]
    public void Setup()
    {
        (_first, _second) = MicroSetup.AlternatingEvents(Instances);
        _endpointer = MicroSetup.Endpointer(_first);
    }

    /// <summary>Disposes the endpointer.</summary>
    [GlobalCleanup]
    public void Cleanup() => _endpointer.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Applies the other set: one instance leaves, one arrives.</summary>
    [Benchmark]
    public int ReplaceOneInstance()
    {
        _flip = !_flip;
        _endpointer.Apply(_flip ? _second : _first);
        return _endpointer.Current.Count;
    }
}
