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
    /// <summary>CPU seconds this process has used (user and system).</summary>
    public static double ProcessCpuSeconds()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime.TotalSeconds;
    }

    /// <summary>
    /// CPU seconds used so far by every live descendant of this process (the registry servers the fixtures start),
    /// from /proc/&lt;pid&gt;/stat; 0 where there is no /proc. Linux reports them in clock ticks of 1/100 s.
    /// </summary>
    public static double ChildrenCpuSeconds()
    {
        try
        {
            var parents = new Dictionary<int, (int Parent, long Ticks)>();
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                {
                    continue;
                }

                try
                {
                    var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    // Fields after the command (which may hold spaces) start at the last ')'.
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
                    var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                    parents[pid] = (parent, ticks);
                }
                catch (IOException)
                {
                    // The process ended while being read.
                }
            }

            var self = Environment.ProcessId;
            long total = 0;
            foreach (var (pid, (_, ticks)) in parents)
            {
                for (var up = pid; parents.TryGetValue(up, out var entry) && up != self; up = entry.Parent)
                {
                    if (entry.Parent == self)
                    {
                        total += ticks;
                        break;
                    }
                }
            }

            return total / 100.0;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
