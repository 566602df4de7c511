using BenchmarkDotNet.Attributes;
using SdKit.Endpoints;
using SdKit.LoadBalancing;

namespace SdKit.Benchmarks.Micro;

/// <summary>
/// The hot path of every call: reading the endpoint set and each balancer's pick, on 1 and 2 threads, over 2 and
/// 10,000 endpoints, idle and while a writer applies one update per millisecond. The threads share the operations
/// (each does <c>Operations / Threads</c>, all at once), so the time reported is wall time per operation over all
/// threads, the convention of Go's <c>b.RunParallel</c> in which go-kit's figures are given; one thread's own time
/// per operation is that figure times the thread count.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class EndpointReadBenchmarks
{
    private const int Operations = 1 << 20;

    private Endpointer<object> _endpointer = null!;
    private IBalancer<object> _random = null!;
    private IBalancer<object> _roundRobin = null!;
    private IBalancer<object> _leastOutstanding = null!;
    private IBalancer<object> _first = null!;
    private PairedThread? _pair;
    private int _perThread;
    private UpdateWriter? _writer;

    /// <summary>Gets or sets the number of endpoints.</summary>
    [Params(2, 10_000)]
    public int Endpoints { get; set; }

    /// <summary>Gets or sets the number of threads reading at once.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Gets or sets a value indicating whether a writer applies one update per millisecond meanwhile.</summary>
    [Params(false, true)]
    public bool Writer { get; set; }

    /// <summary>Builds the endpointer and balancers, and starts the paired thread and the writer.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var (first, second) = MicroSetup.AlternatingEvents(Endpoints);
        _endpointer = MicroSetup.Endpointer(first);
        _random = Balancers.Random(_endpointer);
        _roundRobin = Balancers.RoundRobin(_endpointer);
        _leastOutstanding = Balancers.LeastOutstanding(_endpointer);
        _first = new FirstEndpointBalancer(_endpointer);
        _pair = Threads == 2 ? new PairedThread() : null;
        _perThread = Operations / Threads;
        _writer = Writer ? new UpdateWriter(_endpointer, first, second) : null;
    }

    /// <summary>Stops the writer and the paired thread.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _writer?.Dispose();
        _pair?.Dispose();
        _endpointer.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Reads the current endpoint set.</summary>
    [Benchmark(OperationsPerInvoke = Operations)]
    public long ReadEndpoints() => Run(ReadLoop);

    /// <summary>Picks with the random balancer.</summary>
    [Benchmark(OperationsPerInvoke = Operations)]
    public long PickRandom() => Run(() => PickLoop(_random, _perThread));

    /// <summary>Picks with the round-robin balancer.</summary>
    [Benchmark(OperationsPerInvoke = Operations)]
    public long PickRoundRobin() => Run(() => PickLoop(_roundRobin, _perThread));

    /// <summary>Picks with the least-outstanding (power of two choices) balancer.</summary>
    [Benchmark(OperationsPerInvoke = Operations)]
    public long PickLeastOutstanding() => Run(() => PickLoop(_leastOutstanding, _perThread));

    /// <summary>The floor of any pick through <see cref="IBalancer{T}"/>: an interface call that reads the set and returns its first endpoint.</summary>
    [Benchmark(OperationsPerInvoke = Operations)]
    public long PickFirstFloor() => Run(() => PickLoop(_first, _perThread));

    // Inlined into each benchmark's lambda, so each balancer gets its own call site: a real caller's call site sees one
    // balancer type, and a site shared by three types would measure the runtime's polymorphic dispatch instead.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static long PickLoop(IBalancer<object> balancer, int count)
    {
        // Count nulls rather than touch the endpoint: the benchmark measures the pick, not a cache miss on the result.
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

    private long ReadLoop()
    {
        long sum = 0;
        var endpointer = _endpointer;
        var count = _perThread;
        for (var i = 0; i < count; i++)
        {
            sum += endpointer.Current.Count;
        }

        return sum;
    }

    private long Run(Func<long> loop) => _pair is null ? loop() : _pair.RunBoth(loop);

    /// <summary>Not a balancer anyone should use: the least work a pick through the interface can do.</summary>
    private sealed class FirstEndpointBalancer(Endpointer<object> endpointer) : IBalancer<object>
    {
        public object Pick() => endpointer.Current[0];

        public BalancerLease<object> Acquire(IReadOnlyCollection<object>? avoid = null) => throw new NotSupportedException("Only Pick is measured.");
    }
}
