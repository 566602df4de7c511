using System.Diagnostics;
using System.Globalization;

namespace SdKit.Benchmarks.Scenarios.Scale;

/// <summary>
/// Figures about the runner's process and the machine that load does not distort (threads, retained bytes) and the
/// one that says how loaded the machine was (the load average), recorded with every scale figure.
/// </summary>
internal static class ScaleMachine
{
    /// <summary>The 1-minute load average from /proc/loadavg, or NaN where there is none.</summary>
    public static double LoadAverage()
    {
        try
        {
            var text = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.Parse(text, CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }

    /// <summary>Bytes still reachable after a full, compacting collection.</summary>
    public static long Retained()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: false);
    }

    /// <summary>The number of OS threads of this process.</summary>
    public static int Threads()
    {
        using var process = Process.GetCurrentProcess();
        return process.Threads.Count;
    }

    /// <summary>The resident set of this process, in bytes.</summary>
    public static long WorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    /// <summary>Milliseconds since <paramref name="start"/> (a <see cref="Stopwatch"/> timestamp), rounded to microseconds.</summary>
    public static double Since(long start) => ScenarioFigures.Round(Stopwatch.GetElapsedTime(start).TotalMilliseconds);

    /// <summary>Milliseconds between two <see cref="Stopwatch"/> timestamps, never negative.</summary>
    public static double Between(long start, long end) => Math.Max(0, Stopwatch.GetElapsedTime(start, end).TotalMilliseconds);
}
