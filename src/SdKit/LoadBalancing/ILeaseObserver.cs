namespace SdKit.LoadBalancing;

/// <summary>Receives the outcome of a lease that a wrapping balancer (outlier ejection) handed out.</summary>
/// <typeparam name="T">The endpoint type.</typeparam>
internal interface ILeaseObserver<in T>
{
    /// <summary>Called once per completed lease.</summary>
    /// <param name="endpoint">The endpoint the call went to.</param>
    /// <param name="state">What the observer attached to the lease, or <see langword="null"/>.</param>
    /// <param name="started">The timestamp the lease was taken at, when the observer recorded one.</param>
    /// <param name="error">The call's failure, or <see langword="null"/>.</param>
    void Completed(T endpoint, object? state, long started, Exception? error);
}
