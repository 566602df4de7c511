using System.Diagnostics;
using SdKit.Diagnostics;
using SdKit.Endpoints;
using SdKit.LoadBalancing;

namespace SdKit.Outliers;

/// <summary>
/// Counts failures per endpoint (consecutive, and as a percentage over a sliding interval) and hides the ejected ones
/// from the inner balancer.
/// </summary>
/// <remarks>
/// The ejected endpoints are handed to the inner balancer as the endpoints to avoid, so every balancer works
/// unchanged; a pick reads one snapshot array and a timestamp, and takes the lock only when an outcome arrives or an
/// ejection ends. An outcome allocates nothing once its endpoint has a state (one per endpoint, made at its first
/// outcome).
/// </remarks>
internal sealed class OutlierBalancer<T> : IBalancer<T>, ILeaseObserver<T>
    where T : notnull
{
    /// <summary>How many plain picks of the inner balancer a <see cref="Pick"/> tries before it asks for a lease.</summary>
    private const int PickTries = 4;

    private readonly IEndpointer<T> _endpointer;
    private readonly IBalancer<T> _inner;
    private readonly OutlierOptions _options;
    private readonly TimeProvider _clock;
    private readonly long _bucketTimestamps;
    private readonly Dictionary<T, OutlierState> _states = [];
    private readonly object _gate = new();
    private T[] _ejected = [];
    private long _nextReturn = long.MaxValue;

    public OutlierBalancer(IEndpointer<T> endpointer, IBalancer<T> inner, OutlierOptions options)
    {
        _endpointer = endpointer;
        _inner = inner;
        _options = options;
        _clock = options.TimeProvider;
        var bucketSeconds = options.FailurePercentageInterval.TotalSeconds / FailureWindow.Buckets;
        _bucketTimestamps = Math.Max(1, (long)(bucketSeconds * _clock.TimestampFrequency));
    }

    public T Pick()
    {
        var ejected = Current();
        if (ejected.Length == 0)
        {
            return _inner.Pick();
        }

        // Plain picks first: a lease taken and completed only to pick would report a call that never happened to an
        // inner balancer fed by outcomes (a zero latency to peak EWMA).
        for (var i = 0; i < PickTries; i++)
        {
            var picked = _inner.Pick();
            if (Array.IndexOf(ejected, picked) < 0)
            {
                return picked;
            }
        }

        var lease = _inner.Acquire(ejected);
        lease.Complete();
        return lease.Endpoint;
    }

    public BalancerLease<T> Acquire(IReadOnlyCollection<T>? avoid = null)
    {
        var ejected = Current();
        IReadOnlyCollection<T>? combined = ejected.Length == 0 ? avoid
            : avoid is null || avoid.Count == 0 ? ejected
            : [.. ejected, .. avoid];
        var lease = _inner.Acquire(combined);
        return new BalancerLease<T>(lease, this);
    }

    public void Completed(T endpoint, object? leaseState, long started, Exception? error)
    {
        var failed = error is not null && (_options.IsFailure?.Invoke(error) ?? error is not OperationCanceledException);
        if (!failed && error is OperationCanceledException)
        {
            // The caller gave up: that says nothing about the endpoint, so neither detector counts it.
            return;
        }

        var byRate = _options.FailurePercentageThreshold is not null;
        lock (_gate)
        {
            if (!_states.TryGetValue(endpoint, out var state))
            {
                if (!failed && !byRate)
                {
                    return;
                }

                state = new OutlierState(byRate ? new FailureWindow() : null);
                PruneIfLarge();
                _states[endpoint] = state;
            }

            if (state.EjectedUntil is not null)
            {
                // A call that was in flight when its endpoint was ejected: the endpoint returns with clean counts.
                return;
            }

            var now = _clock.GetTimestamp();
            state.Window?.Record(now / _bucketTimestamps, failed);
            if (!failed)
            {
                state.ConsecutiveFailures = 0;
                return;
            }

            state.ConsecutiveFailures++;
            if (state.ConsecutiveFailures >= _options.ConsecutiveFailures)
            {
                Eject(endpoint, state, now, "consecutive");
            }
            else if (state.Window is { } window
                && window.Calls >= _options.FailurePercentageMinimumRequests
                && window.Failures * 100.0 >= _options.FailurePercentageThreshold!.Value * window.Calls)
            {
                Eject(endpoint, state, now, "failure_percentage");
            }
        }
    }

    /// <summary>Ejects <paramref name="endpoint"/> unless the maximum ejected fraction is reached; under the lock.</summary>
    private void Eject(T endpoint, OutlierState state, long now, string detector)
    {
        var count = _endpointer.Current.Count;
        var limit = Math.Min((int)Math.Floor(_options.MaxEjectedFraction * count), count - 1);
        if (_ejected.Length + 1 > limit)
        {
            // The endpoint stays in with its counts, so every further failure asks (and is counted) again.
            SdKitMetrics.OutlierEjections.Add(1, new TagList { { SdKitMetrics.OutcomeTag, "limit" }, { SdKitMetrics.DetectorTag, detector } });
            return;
        }

        if (state.ReturnedAt is { } returned && _clock.GetElapsedTime(returned, now) >= _options.MaxEjectionTime)
        {
            state.Ejections = 0;
        }

        state.Ejections++;
        var ticks = Math.Min(_options.BaseEjectionTime.Ticks * state.Ejections, _options.MaxEjectionTime.Ticks);
        var until = now + (long)(ticks * (_clock.TimestampFrequency / (double)TimeSpan.TicksPerSecond));
        state.EjectedUntil = until;
        state.ConsecutiveFailures = 0;
        state.Window?.Clear();
        Volatile.Write(ref _ejected, [.. _ejected, endpoint]);
        Volatile.Write(ref _nextReturn, Math.Min(Volatile.Read(ref _nextReturn), until));
        SdKitMetrics.OutlierEjections.Add(1, new TagList { { SdKitMetrics.OutcomeTag, "ejected" }, { SdKitMetrics.DetectorTag, detector } });
    }

    /// <summary>
    /// Forgets the states of endpoints that have left the set, once there are many more states than endpoints (an
    /// endpointer that keeps replacing instances would otherwise keep one state per instance ever seen); under the lock.
    /// </summary>
    private void PruneIfLarge()
    {
        var current = _endpointer.Current;
        if (_states.Count < (2 * current.Count) + 16)
        {
            return;
        }

        var present = new HashSet<T>(current.Items);
        foreach (var endpoint in _states.Keys.ToArray())
        {
            if (!present.Contains(endpoint) && _states[endpoint].EjectedUntil is null)
            {
                _states.Remove(endpoint);
            }
        }
    }

    /// <summary>Returns the ejected endpoints, first letting back those whose time is over.</summary>
    private T[] Current()
    {
        var ejected = Volatile.Read(ref _ejected);
        if (ejected.Length == 0 || _clock.GetTimestamp() < Volatile.Read(ref _nextReturn))
        {
            return ejected;
        }

        lock (_gate)
        {
            var now = _clock.GetTimestamp();
            var kept = new List<T>(_ejected.Length);
            var next = long.MaxValue;
            foreach (var endpoint in _ejected)
            {
                var state = _states[endpoint];
                if (state.EjectedUntil <= now)
                {
                    state.EjectedUntil = null;
                    state.ReturnedAt = now;
                    state.ConsecutiveFailures = 0;
                    state.Window?.Clear();
                }
                else
                {
                    kept.Add(endpoint);
                    next = Math.Min(next, state.EjectedUntil!.Value);
                }
            }

            _ejected = [.. kept];
            Volatile.Write(ref _nextReturn, next);
            return _ejected;
        }
    }

    /// <summary>The detectors' state for one endpoint; guarded by the balancer's lock.</summary>
    private sealed class OutlierState(FailureWindow? window)
    {
        public int ConsecutiveFailures { get; set; }

        /// <summary>Gets the failure-percentage window, or <see langword="null"/> when that detector is off.</summary>
        public FailureWindow? Window { get; } = window;

        public int Ejections { get; set; }

        public long? EjectedUntil { get; set; }

        public long? ReturnedAt { get; set; }
    }
}
