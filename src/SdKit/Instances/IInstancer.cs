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
    InstanceEvent Current { get; }
}
