namespace SdKit.Instances;

/// <summary>
/// A source of <see cref="InstanceEvent"/>s for one service (go-kit's <c>Instancer</c>).
/// </summary>
/// <remarks>
/// A new subscriber receives the current event at once, then every change; equal consecutive events are not
/// sent twice. Backend errors are values inside events, never <see cref="IObserver{T}.OnError"/>: the stream
/// completes only when the instancer is disposed. A slow or throwing subscriber never delays the others.
/// </remarks>
public interface IInstancer : IObservable<InstanceEvent>, IAsyncDisposable
{
    /// <summary>Gets the most recent event.</summary>
    /// <remarks>
    /// Before the registry has answered this is an empty event, which looks the same as the answer of a service
    /// with no instances; <see cref="WaitForFirstEventAsync"/> tells the two apart.
    /// </remarks>
    InstanceEvent Current { get; }

    /// <summary>
    /// Waits until the instancer has its first answer from the registry, then returns <see cref="Current"/>.
    /// </summary>
    /// <remarks>
    /// <para>The first answer is the first snapshot, even an empty one (a service with no instances), or the error of
    /// the first failed watch attempt: either way the caller knows as much as it will for a while and need not wait
    /// longer. The returned event may already be newer than that first answer. go-kit's instancers read the registry
    /// once before their constructor returns and keep a failed read as an error event; SdKit's constructors never
    /// block, and this is that same wait, taken only by the callers who need it.</para>
    /// <para>Once the first answer has arrived this completes at once, without allocating, even after disposal.
    /// Subscribers are unaffected: an empty first snapshot is not sent again to those who already received the
    /// empty event, because equal consecutive events are never sent twice.</para>
    /// </remarks>
    /// <param name="cancellationToken">Stops the wait, for example after a timeout of the caller's choosing.</param>
    /// <returns>The most recent event, once the registry has answered.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first.</exception>
    /// <exception cref="ObjectDisposedException">The instancer was disposed before the registry answered.</exception>
    ValueTask<InstanceEvent> WaitForFirstEventAsync(CancellationToken cancellationToken = default);
}
