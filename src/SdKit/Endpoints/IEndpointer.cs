namespace SdKit.Endpoints;

/// <summary>
/// The current endpoints of one service (go-kit's <c>Endpointer</c>), read without locks or allocations, and the
/// stream of endpoint sets as they change.
/// </summary>
/// <remarks>
/// A subscriber receives the current set at once, then every new set. The stream completes when the endpointer is
/// disposed.
/// </remarks>
/// <typeparam name="T">The endpoint type.</typeparam>
public interface IEndpointer<T> : IObservable<IReadOnlyList<T>>, IAsyncDisposable
{
    /// <summary>
    /// Gets the current set: an immutable snapshot, read lock-free and without allocating. It never throws; a set
    /// invalidated by an instancer error is empty and carries the <see cref="EndpointSet{T}.Error"/>.
    /// </summary>
    EndpointSet<T> Current { get; }

    /// <summary>Gets the current endpoints.</summary>
    /// <exception cref="EndpointsUnavailableException">The endpoints were invalidated by an instancer error.</exception>
    IReadOnlyList<T> Endpoints { get; }
}
