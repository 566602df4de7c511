namespace SdKit.Benchmarks.Micro;

/// <summary>
/// A second thread that runs the same loop as the benchmark thread, started together, so a benchmark measures the
/// cost of one operation while two threads do it at once.
/// </summary>
internal sealed class PairedThread : IDisposable
{
    private readonly Thread _thread;
    private readonly SemaphoreSlim _start = new(0);
    private readonly SemaphoreSlim _done = new(0);
    private Func<long>? _work;
    private volatile bool _stopping;

    public PairedThread()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "benchmark-pair" };
        _thread.Start();
    }

    public long Sink { get; private set; }

    /// <summary>Runs <paramref name="work"/> here and on the paired thread at once; returns when both are done.</summary>
    public long RunBoth(Func<long> work)
    {
        _work = work;
        _start.Release();
        var mine = work();
        _done.Wait();
        return mine + Sink;
    }

    public void Dispose()
    {
        _stopping = true;
        _start.Release();
        _thread.Join();
        _start.Dispose();
        _done.Dispose();
    }

    private void Run()
    {
        while (true)
        {
            _start.Wait();
            if (_stopping)
            {
                return;
            }

            Sink = _work!();
            _done.Release();
        }
    }
}
