using System.Diagnostics;

namespace SdKit.Soak.Checking;

/// <summary>
/// Samples the process every few seconds: managed heap after a full collection, working set and OS thread count.
/// "Flat" compares the end of the run with its early phase (after warm-up), with slack for the JIT, pools and caches.
/// </summary>
internal sealed class ResourceMonitor : IAsyncDisposable
{
    private const long MemorySlackBytes = 48L * 1024 * 1024;
    private const int ThreadSlack = 24;
    private readonly List<Sample> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public ResourceMonitor(TimeSpan interval)
    {
        _loop = Task.Run(() => LoopAsync(interval));
    }

    public long PeakWorkingSet { get; private set; }

    public long PeakManaged { get; private set; }

    public int PeakThreads { get; private set; }

    public IReadOnlyList<Sample> Samples
    {
        get
        {
            lock (_samples)
            {
                return [.. _samples];
            }
        }
    }

    /// <summary>Returns whether memory and threads stayed flat, with the figures that decide it.</summary>
    public (bool Flat, string Reason) Verdict()
    {
        var samples = Samples;
        if (samples.Count < 6)
        {
            return (true, $"only {samples.Count} samples; too short to judge");
        }

        // Early = the second sixth of the run (the first is warm-up); late = the last sixth.
        var sixth = samples.Count / 6;
        var early = samples.Skip(sixth).Take(Math.Max(1, sixth)).ToList();
        var late = samples.Skip(samples.Count - Math.Max(1, sixth)).ToList();
        var earlyManaged = early.Average(s => s.ManagedBytes);
        var lateManaged = late.Average(s => s.ManagedBytes);
        var earlyThreads = early.Max(s => s.Threads);
        var lateThreads = late.Min(s => s.Threads);
        var memoryFlat = lateManaged <= Math.Max(2 * earlyManaged, earlyManaged + MemorySlackBytes);
        var threadsFlat = lateThreads <= earlyThreads + ThreadSlack;
        var reason = $"managed heap early {earlyManaged / 1048576:0.0} MB, late {lateManaged / 1048576:0.0} MB; threads early max {earlyThreads}, late min {lateThreads}";
        return (memoryFlat && threadsFlat, reason);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task LoopAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            do
            {
                Take();
            }
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
    }

    private void Take()
    {
        // A full collection also runs finalizers, which is what raises UnobservedTaskException for lost faulted tasks.
        var managed = GC.GetTotalMemory(forceFullCollection: true);
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        var sample = new Sample(_clock.Elapsed.TotalSeconds, managed, process.WorkingSet64, process.Threads.Count);
        lock (_samples)
        {
            _samples.Add(sample);
        }

        PeakManaged = Math.Max(PeakManaged, managed);
        PeakWorkingSet = Math.Max(PeakWorkingSet, sample.WorkingSetBytes);
        PeakThreads = Math.Max(PeakThreads, sample.Threads);
    }

    internal sealed record Sample(double Seconds, long ManagedBytes, long WorkingSetBytes, int Threads);
}
