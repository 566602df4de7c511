using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;

namespace SdKit.Benchmarks.Micro;

/// <summary>
/// The floor under any round robin that rotates globally (go-kit's and SdKit's): one atomic increment of a shared
/// counter per pick, on 1 and 2 threads. On 2 threads the counter's cache line moves between the cores on every
/// increment; no pick that needs a shared rotation can be cheaper than this. A per-thread counter is shown for scale.
/// As in <see cref="EndpointReadBenchmarks"/>, the threads share the operations and the time is per operation over all threads.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class SharedCounterBenchmarks
{
    private const int Operations = 1 << 20;

    [ThreadStatic]
    private static int t_local;

    private PaddedCounter _counter;
    private PairedThread? _pair;
    private int _perThread;

    /// <summary>Gets or sets the number of threads incrementing at once.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Starts the paired thread.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _pair = Threads == 2 ? new PairedThread() : null;
        _perThread = Operations / Threads;
    }

    /// <summary>Stops the paired thread.</summary>
    [GlobalCleanup]
    public void Cleanup() => _pair?.Dispose();

    /// <summary>One <see cref="Interlocked.Increment(ref int)"/> of one shared counter.</summary>
    [Benchmark(OperationsPerInvoke = Operations)]
    public long SharedAtomicIncrement() => Run(() =>
    {
        long sum = 0;
        for (var i = 0; i < _perThread; i++)
        {
            sum += Interlocked.Increment(ref _counter.Value) & 1;
        }

        return sum;
    });

    /// <summary>
    /// A plain read and write of one shared counter (no locked instruction): increments can be lost under contention,
    /// but the cache line is only written, never locked.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Operations)]
    public long SharedPlainIncrement() => Run(() =>
    {
        long sum = 0;
        for (var i = 0; i < _perThread; i++)
        {
            var n = Volatile.Read(ref _counter.Value);
            Volatile.Write(ref _counter.Value, n + 1);
            sum += n & 1;
        }

        return sum;
    });

    /// <summary>One increment of a per-thread counter: no sharing at all.</summary>
    [Benchmark(OperationsPerInvoke = Operations)]
    public long ThreadLocalIncrement() => Run(() =>
    {
        long sum = 0;
        for (var i = 0; i < _perThread; i++)
        {
            sum += ++t_local & 1;
        }

        return sum;
    });

    private long Run(Func<long> loop) => _pair is null ? loop() : _pair.RunBoth(loop);

    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct PaddedCounter
    {
        [FieldOffset(64)]
        public int Value;
    }
}
