namespace SdKit.LoadBalancing;

/// <summary>
/// One endpoint handed out by <see cref="IBalancer{T}.Acquire"/> for one call. Call <see cref="Complete"/> exactly
/// once when the call ends, so that balancers fed by outcomes see it; for other balancers it costs nothing.
/// </summary>
/// <typeparam name="T">The endpoint type.</typeparam>
public readonly struct BalancerLease<T> : IEquatable<BalancerLease<T>>
{
    private readonly OutstandingCounter? _counter;

    internal BalancerLease(T endpoint, OutstandingCounter? counter)
    {
        Endpoint = endpoint;
        _counter = counter;
    }

    /// <summary>Gets the endpoint to call.</summary>
    public T Endpoint { get; }

    /// <summary>Reports that the call ended.</summary>
    /// <param name="error">The call's failure, or <see langword="null"/> when it succeeded.</param>
    public void Complete(Exception? error = null) => _counter?.Leave(error is not null);

    /// <inheritdoc/>
    public bool Equals(BalancerLease<T> other)
        => ReferenceEquals(_counter, other._counter) && EqualityComparer<T>.Default.Equals(Endpoint, other.Endpoint);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is BalancerLease<T> other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Endpoint, _counter);

    /// <summary>Compares two leases.</summary>
    /// <param name="left">The first lease.</param>
    /// <param name="right">The second lease.</param>
    /// <returns>Whether they hold the same endpoint and counter.</returns>
    public static bool operator ==(BalancerLease<T> left, BalancerLease<T> right) => left.Equals(right);

    /// <summary>Compares two leases.</summary>
    /// <param name="left">The first lease.</param>
    /// <param name="right">The second lease.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(BalancerLease<T> left, BalancerLease<T> right) => !left.Equals(right);
}
