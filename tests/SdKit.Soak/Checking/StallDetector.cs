using System.Diagnostics;

namespace SdKit.Soak.Checking;

/// <summary>
/// Notices when this process was not scheduled for a while (a loaded host, a long GC): a dedicated thread sleeps
/// 50 ms at a time and records every oversleep of a second or more. Such a stall is a fault the soak did not inject —
/// every client misses its pings at once and sessions can expire — so convergence is measured from the later of the
/// injected fault's settling and the end of the last stall.
/// </summary>
internal sealed class StallDetector : IDisposable
{
    private static readonly TimeSpan s_tick = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan s_threshold = TimeSpan.FromSeconds(1);
    private readonly List<(DateTime EndUtc, TimeSpan Length)> _stalls = [];
    private readonly Thread _thread;
    private volatile bool _stopping;

    public StallDetector()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "soak stall detector", Priority = ThreadPriority.AboveNormal };
        _thread.Start();
    }

    public IReadOnlyList<(DateTime EndUtc, TimeSpan Length)> Stalls
    {
        get
        {
            lock (_stalls)
            {
                return [.. _stalls];
            }
        }
    }

    /// <summary>Returns the end of the last stall that ended inside [<paramref name="fromUtc"/>, <paramref name="toUtc"/>], if any.</summary>
    public (DateTime EndUtc, TimeSpan Length)? LastBetween(DateTime fromUtc, DateTime toUtc)
    {
        lock (_stalls)
        {
            var inside = _stalls.Where(s => s.EndUtc >= fromUtc && s.EndUtc <= toUtc).ToList();
            return inside.Count == 0 ? null : inside[^1];
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join();
    }

    private void Run()
    {
        var clock = Stopwatch.StartNew();
        while (!_stopping)
        {
            var before = clock.Elapsed;
            Thread.Sleep(s_tick);
            var overslept = clock.Elapsed - before - s_tick;
            if (overslept >= s_threshold)
            {
                lock (_stalls)
                {
                    _stalls.Add((DateTime.UtcNow, overslept));
                }
            }
        }
    }
}
