using System.Diagnostics;
using SdKit.Diagnostics;
using SdKit.Endpoints;
using SdKit.LoadBalancing;

namespace SdKit.Outliers;

/// <summary>Counts consecutive failures per endpoint and hides the ejected ones from the inner balancer.</summary>
/// <remarks>
/// The ejected endpoints are handed to the inner balancer as the endpoints to avoid, so every balancer works
/// unchanged; a pick reads one snapshot array and a timestamp, and takes the lock only when an outcome arrives or an
/// ejection ends.
/// </remarks>
internal sealed class OutlierBalancer<T>(IEndpointer<T> endpointer, IBalancer<T> inner, OutlierOptions options)
    : IBalancer<T>, ILeaseObserver<T>
    where T : notnull
{
    private readonly Dictionary<T, OutlierState> _states = [];
    private readonly object _gate = new();
    private T[] _ejected = [];
    private long _nextReturn = long.MaxValue;

    public T Pick()
    {
        var ejected = Current();
        if (ejected.Length == 0)
        {
            return inner.Pick();
        }

        var lease = inner.Acquire(ejected);
        lease.Complete();
        return lease.Endpoint;
    }

    public BalancerLease<T> Acquire(IReadOnlyCollection<T>? avoid = null)
    {
        var ejected = Current();
        IReadOnlyCollection<T>? combined = ejected.Length == 0 ? avoid
            : avoid is null || avoid.Count == 0 ? ejected
            : [.. ejected, .. avoid];
        var lease = inner.Acquire(combined);
        return new BalancerLease<T>(lease, this);
    }

    public void Completed(T endpoint, object? leaseState, long started, Exception? error)
    {
        var failed = error is not null && (options.IsFailure?.Invoke(error) ?? error is not OperationCanceledException);
        lock (_gate)
        {
            if (!_states.TryGetValue(endpoint, out var state))
            {
                if (!failed)
                {
                    return;
                }

                state = new OutlierState();
                _states[endpoint] = state;
            }

            if (!failed)
            {
                state.ConsecutiveFailures = 0;
                return;
            }

            state.ConsecutiveFailures++;
            if (state.EjectedUntil is not null || state.ConsecutiveFailures < options.ConsecutiveFailures)
            {
                return;
            }

            var now = options.TimeProvider.GetTimestamp();
            var limit = (int)Math.Floor(options.MaxEjectedFraction * endpointer.Current.Count);
            limit = Math.Min(limit, endpointer.Current.Count - 1);
            if (_ejected.Length + 1 > limit)
            {
                SdKitMetrics.OutlierEjections.Add(1, new TagList { { SdKitMetrics.OutcomeTag, "limit" } });
                return;
            }

            if (state.ReturnedAt is { } returned && options.TimeProvider.GetElapsedTime(returned, now) >= options.MaxEjectionTime)
            {
                state.Ejections = 0;
            }

            state.Ejections++;
            var ticks = Math.Min(options.BaseEjectionTime.Ticks * state.Ejections, options.MaxEjectionTime.Ticks);
            var until = now + (long)(ticks * (options.TimeProvider.TimestampFrequency / (double)TimeSpan.TicksPerSecond));
            state.EjectedUntil = until;
            state.ConsecutiveFailures = 0;
            Volatile.Write(ref _ejected, [.. _ejected, endpoint]);
            Volatile.Write(ref _nextReturn, Math.Min(Volatile.Read(ref _nextReturn), until));
            SdKitMetrics.OutlierEjections.Add(1, new TagList { { SdKitMetrics.OutcomeTag, "ejected" } });
        }
    }

    /// <summary>Returns the ejected endpoints, first letting back those whose time is over.</summary>
    private T[] Current()
    {
        var ejected = Volatile.Read(ref _ejected);
        if (ejected.Length == 0 || options.TimeProvider.GetTimestamp() < Volatile.Read(ref _nextReturn))
        {
            return ejected;
        }

        lock (_gate)
        {
            var now = options.TimeProvider.GetTimestamp();
            var kept = new List<T>(_ejected.Length);
            var next = long.MaxValue;
            foreach (var endpoint in _ejected)
            {
                var state = _states[endpoint];
                if (state.EjectedUntil <= now)
                {
                    state.EjectedUntil = null;
                    state.ReturnedAt = now;
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

    /// <summary>The detector's state for one endpoint; guarded by the balancer's lock.</summary>
    private sealed class OutlierState
    {
        public int ConsecutiveFailures { get; set; }

        public int Ejections { get; set; }

        public long? EjectedUntil { get; set; }

        public long? ReturnedAt { get; set; }
    }
}
