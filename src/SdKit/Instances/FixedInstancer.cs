namespace SdKit.Instances;

/// <summary>
/// An <see cref="IInstancer"/> over a fixed list of instances (go-kit's <c>FixedInstancer</c>): every subscriber
/// receives the one event at once, then nothing until disposal completes the stream.
/// </summary>
public sealed class FixedInstancer : IInstancer
{
    private readonly Broadcaster<InstanceEvent> _events;

    /// <summary>Initializes a new instancer over <paramref name="instances"/>.</summary>
    /// <param name="instances">The instance strings, in any order.</param>
    /// <exception cref="ArgumentNullException"><paramref name="instances"/> is <see langword="null"/>.</exception>
    public FixedInstancer(IEnumerable<string> instances)
    {
        var fixedEvent = new InstanceEvent(instances);
        _events = new Broadcaster<InstanceEvent>(fixedEvent, static _ => { });
    }

    /// <summary>Initializes a new instancer over <paramref name="instances"/>.</summary>
    /// <param name="instances">The instance strings, in any order.</param>
    public FixedInstancer(params string[] instances)
        : this((IEnumerable<string>)instances)
    {
    }

    /// <inheritdoc/>
    public InstanceEvent Current => _events.Current;

    /// <summary>Returns the fixed event at once: the instances are known from the start.</summary>
    /// <param name="cancellationToken">Not used: nothing is awaited.</param>
    /// <returns>A completed task holding <see cref="Current"/>.</returns>
    public ValueTask<InstanceEvent> WaitForFirstEventAsync(CancellationToken cancellationToken = default)
        => new(_events.Current);

    /// <inheritdoc/>
    public IDisposable Subscribe(IObserver<InstanceEvent> observer) => _events.Subscribe(observer);

    /// <summary>Completes every subscriber's stream.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        _events.Complete();
        return ValueTask.CompletedTask;
    }
}
