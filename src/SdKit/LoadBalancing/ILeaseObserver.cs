namespace SdKit.LoadBalancing;

/// <summary>Receives the outcome of a lease that a wrapping balancer (outlier ejection) handed out.</summary>
/// <typeparam name="T">The endpoint type.</typeparam>
internal interface ILeaseObserver<in T>
{
    /// <summary>Called once per completed lease.</summary>
    /// <param name="endpoint">The endpoint the call went to.</param>
    /// <param name="error">The call's failure, or <see langword="null"/>.</param>
    void Completed(T endpoint, Exception? error);
}
