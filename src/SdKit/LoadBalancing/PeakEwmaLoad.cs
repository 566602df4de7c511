namespace SdKit.LoadBalancing;

/// <summary>
/// One endpoint's load for peak EWMA: a latency average that jumps to any higher observation and decays towards
/// lower ones, and the calls in flight. Kept per instance across set changes.
/// </summary>
internal sealed class PeakEwmaLoad
{
    /// <summary>The cost of an endpoint with calls in flight but no latency seen yet: high, so it is probed one call at a time.</summary>
    private const double UnmeasuredPenalty = 1e12;

    private readonly object _gate = new();
    private double _ewmaTicks;
    private long _stamp;
    private int _outstanding;

    public PeakEwmaLoad(long now) => _stamp = now;

    public int Outstanding => Volatile.Read(ref _outstanding);

    public void Enter() => Interlocked.Increment(ref _outstanding);

    /// <summary>Gets the cost of one more call: the decayed average times the calls in flight plus one.</summary>
    public double Cost(long now, TimeProvider clock, double decayTicks)
    {
        var outstanding = Volatile.Read(ref _outstanding);
        var ewma = Volatile.Read(ref _ewmaTicks);
        if (ewma == 0)
        {
            return outstanding == 0 ? 0 : UnmeasuredPenalty + outstanding;
        }

        var elapsed = Math.Max(0, clock.GetElapsedTime(Volatile.Read(ref _stamp), now).Ticks);
        return ewma * Math.Exp(-elapsed / decayTicks) * (outstanding + 1);
    }

    /// <summary>Ends one call that took <paramref name="latencyTicks"/>.</summary>
    public void Exit(long now, double latencyTicks, TimeProvider clock, double decayTicks)
    {
        Interlocked.Decrement(ref _outstanding);
        lock (_gate)
        {
            var elapsed = Math.Max(0, clock.GetElapsedTime(_stamp, now).Ticks);
            var ewma = _ewmaTicks;
            if (latencyTicks > ewma)
            {
                ewma = latencyTicks;
            }
            else
            {
                var weight = Math.Exp(-elapsed / decayTicks);
                ewma = (ewma * weight) + (latencyTicks * (1 - weight));
            }

            // Never exactly zero once measured, so a measured endpoint is not taken for an unmeasured one.
            Volatile.Write(ref _ewmaTicks, Math.Max(ewma, double.Epsilon));
            Volatile.Write(ref _stamp, now);
        }
    }
}
