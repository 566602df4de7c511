namespace SdKit.LoadBalancing;

/// <summary>
/// Picks one endpoint per call from an endpointer's current set (go-kit's <c>Balancer</c>).
/// </summary>
/// <remarks>
/// Every balancer throws <see cref="NoEndpointsException"/> when the set is empty and passes the endpointer's own
/// error through (<see cref="Endpoints.EndpointsUnavailableException"/>). All are thread-safe.
/// </remarks>
/// <typeparam name="T">The endpoint type.</typeparam>
public interface IBalancer<T>
{
    /// <summary>Picks one endpoint; lock-free and without allocating.</summary>
    /// <returns>The endpoint to call.</returns>
    /// <exception cref="NoEndpointsException">The set is empty.</exception>
    /// <exception cref="Endpoints.EndpointsUnavailableException">The endpoints were invalidated by an instancer error.</exception>
    T Pick();

    /// <summary>
    /// Picks one endpoint for a call whose outcome will be reported through the returned lease
    /// (<see cref="BalancerLease{T}.Complete"/>), preferring endpoints not in <paramref name="avoid"/> when others
    /// exist. Balancers fed by outcomes (least outstanding) count the call as in flight until it completes.
    /// </summary>
    /// <param name="avoid">Endpoints already tried for this call, or <see langword="null"/>.</param>
    /// <returns>The lease holding the endpoint.</returns>
    /// <exception cref="NoEndpointsException">The set is empty.</exception>
    /// <exception cref="Endpoints.EndpointsUnavailableException">The endpoints were invalidated by an instancer error.</exception>
    BalancerLease<T> Acquire(IReadOnlyCollection<T>? avoid = null);
}
