namespace SdKit.LoadBalancing;

/// <summary>
/// One endpoint handed out by <see cref="IBalancer{T}.Acquire"/> for one call. Call <see cref="Complete"/> exactly
/// once when the call ends, so that balancers fed by outcomes see it; for other balancers it costs nothing. A lease of
/// the least-outstanding balancer that is never completed leaves its call counted as in flight, and keeps the
/// balancer's per-set count arrays (a few bytes per endpoint and set change) reachable for as long as it lives.
/// </summary>
/// <typeparam name="T">The endpoint type.</typeparam>
public readonly struct BalancerLease<T> : IEquatable<BalancerLease<T>>
{
    private readonly LoadTable? _table;
    private readonly int _position;
    private readonly ILeaseObserver<T>? _observer;
    private readonly ILeaseObserver<T>? _outer;
    private readonly object? _state;
    private readonly long _started;

    /// <summary>A lease that counts nothing (balancers not fed by outcomes).</summary>
    internal BalancerLease(T endpoint, string? instance = null)
    {
        Endpoint = endpoint;
        Instance = instance;
    }

    /// <summary>A lease counted at <paramref name="position"/> of <paramref name="table"/>, which the caller entered.</summary>
    internal BalancerLease(T endpoint, LoadTable table, int position, string? instance = null)
    {
        Endpoint = endpoint;
        Instance = instance;
        _table = table;
        _position = position;
    }

    /// <summary>The lease <paramref name="inner"/>, whose outcome is also reported to <paramref name="observer"/> (outlier ejection).</summary>
    internal BalancerLease(BalancerLease<T> inner, ILeaseObserver<T> observer)
    {
        Endpoint = inner.Endpoint;
        Instance = inner.Instance;
        _table = inner._table;
        _position = inner._position;
        _observer = inner._observer;
        _state = inner._state;
        _started = inner._started;
        _outer = observer;
    }

    /// <summary>A lease whose end is reported to <paramref name="observer"/> with <paramref name="state"/> and its start timestamp (peak EWMA).</summary>
    internal BalancerLease(T endpoint, string? instance, ILeaseObserver<T> observer, object state, long started)
    {
        Endpoint = endpoint;
        Instance = instance;
        _observer = observer;
        _state = state;
        _started = started;
    }

    /// <summary>Gets the endpoint to call.</summary>
    public T Endpoint { get; }

    /// <summary>
    /// Gets the instance string the endpoint was made from (what a <see cref="Retry"/> attempt's span names), or
    /// <see langword="null"/> when the balancer's endpointer does not know it.
    /// </summary>
    public string? Instance { get; }

    /// <summary>Reports that the call ended.</summary>
    /// <param name="error">The call's failure, or <see langword="null"/> when it succeeded.</param>
    public void Complete(Exception? error = null)
    {
        if (_table is not null)
        {
            LoadTable.Add(_table, _position, -1);
        }

        _observer?.Completed(Endpoint, _state, _started, error);
        _outer?.Completed(Endpoint, _state, _started, error);
    }

    /// <inheritdoc/>
    public bool Equals(BalancerLease<T> other)
        => ReferenceEquals(_table, other._table) && _position == other._position && EqualityComparer<T>.Default.Equals(Endpoint, other.Endpoint);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is BalancerLease<T> other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Endpoint, _table, _position);

    /// <summary>Compares two leases.</summary>
    /// <param name="left">The first lease.</param>
    /// <param name="right">The second lease.</param>
    /// <returns>Whether they hold the same endpoint and count the call in the same place.</returns>
    public static bool operator ==(BalancerLease<T> left, BalancerLease<T> right) => left.Equals(right);

    /// <summary>Compares two leases.</summary>
    /// <param name="left">The first lease.</param>
    /// <param name="right">The second lease.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(BalancerLease<T> left, BalancerLease<T> right) => !left.Equals(right);
}
