namespace SdKit.Etcd;

/// <summary>Capped exponential backoff with jitter for the client's retry loops.</summary>
internal sealed class Backoff
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private TimeSpan _next;

    public Backoff(TimeSpan initial, TimeSpan max)
    {
        _initial = initial;
        _max = max;
        _next = initial;
    }

    /// <summary>Returns the next pause (between half and all of the current step) and doubles the step up to the cap.</summary>
    public TimeSpan Next()
    {
        var step = _next;
        _next = TimeSpan.FromTicks(Math.Min(_max.Ticks, step.Ticks * 2));
#pragma warning disable CA5394 // Jitter spreads retries of many clients; it needs no cryptographic randomness.
        return TimeSpan.FromTicks((long)(step.Ticks * (0.5 + (Random.Shared.NextDouble() * 0.5))));
#pragma warning restore CA5394
    }

    /// <summary>Starts again from the initial pause after a success.</summary>
    public void Reset() => _next = _initial;
}
