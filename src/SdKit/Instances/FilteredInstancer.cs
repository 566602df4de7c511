using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SdKit.Instances.Codecs;

namespace SdKit.Instances;

/// <summary>
/// An <see cref="IInstancer"/> narrowed to the instances whose typed view (<see cref="ServiceInstance"/>, decoded
/// with an <see cref="IInstanceCodec"/>) passes a predicate: a version filter, enabled instances only, one zone.
/// </summary>
/// <remarks>
/// <para>The same event semantics as any instancer: every event is the full filtered set (the kept instance strings,
/// unchanged), the source's error is passed through on it, a new subscriber receives the current event at once, and
/// an event whose filtered set and error equal the previous one is not sent (a change to an instance the filter
/// leaves out is invisible downstream). An <see cref="Endpoints.Endpointer{T}"/> over it sees only the kept
/// instances.</para>
/// <para>Decoding is <see cref="TypedInstancer"/>'s: a string that does not decode is logged (event 1110), counted on
/// <c>sdkit.instances.decode_failures</c> and left out; so is a second instance with an id already in the set. A
/// predicate that throws leaves that instance out and is logged (event 1120). The source is not owned.</para>
/// </remarks>
public sealed partial class FilteredInstancer : IInstancer
{
    private readonly Func<ServiceInstance, bool> _predicate;
    private readonly ILogger _logger;
    private readonly TypedInstancer _typed;
    private readonly Broadcaster<InstanceEvent> _events;
    private readonly object _gate = new();
    private readonly IDisposable _subscription;
    private long _applied = -1;
    private int _disposed;

    /// <summary>Initializes a new filtered view of <paramref name="source"/> and subscribes to it.</summary>
    /// <param name="source">The instancer to narrow. Not owned: disposing this view leaves it running.</param>
    /// <param name="codec">The layout's codec, which decodes each instance string for the predicate.</param>
    /// <param name="predicate">Keeps an instance when it returns <see langword="true"/>; see <see cref="InstanceFilters"/>.</param>
    /// <param name="logger">Where decode failures and predicate failures are logged.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public FilteredInstancer(IInstancer source, IInstanceCodec codec, Func<ServiceInstance, bool> predicate, ILogger<FilteredInstancer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(codec);
        ArgumentNullException.ThrowIfNull(predicate);
        _predicate = predicate;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _events = new Broadcaster<InstanceEvent>(InstanceEvent.Empty, ex => LogSubscriberFailed(_logger, ex));
        _typed = new TypedInstancer(source, codec, _logger);

        // The typed view's first event is delivered on this thread, so Current is filtered before the constructor returns.
        _subscription = _typed.Subscribe(System.Reactive.Observer.Create<ServiceInstanceEvent>(Apply, static _ => { }, _events.Complete));
    }

    /// <inheritdoc/>
    public InstanceEvent Current => _events.Current;

    /// <inheritdoc/>
    public async ValueTask<InstanceEvent> WaitForFirstEventAsync(CancellationToken cancellationToken = default)
    {
        await _typed.WaitForFirstEventAsync(cancellationToken).ConfigureAwait(false);
        Apply(_typed.Current);
        return Current;
    }

    /// <inheritdoc/>
    public IDisposable Subscribe(IObserver<InstanceEvent> observer) => _events.Subscribe(observer);

    /// <summary>Stops following the source and completes every subscriber's stream; the source keeps running.</summary>
    /// <returns>A task that completes when the view has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _subscription.Dispose();
            await _typed.DisposeAsync().ConfigureAwait(false);
            _events.Complete();
        }
    }

    private void Apply(ServiceInstanceEvent typed)
    {
        lock (_gate)
        {
            // WaitForFirstEventAsync may have applied a newer event than the one the subscription delivers now.
            if (typed.Sequence <= _applied)
            {
                return;
            }

            _applied = typed.Sequence;
            var kept = new List<string>(typed.Instances.Length);
            foreach (var instance in typed.Instances)
            {
                if (Keeps(instance))
                {
                    kept.Add(instance.Raw!);
                }
            }

            var next = new InstanceEvent(kept, typed.Error);
            if (!next.Equals(_events.Current))
            {
                _events.Publish(next);
            }
        }
    }

    private bool Keeps(ServiceInstance instance)
    {
        try
        {
            return _predicate(instance);
        }
#pragma warning disable CA1031 // A failing predicate leaves one instance out; it must not end the stream.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogPredicateFailed(_logger, instance.Raw ?? instance.Id, ex);
            return false;
        }
    }

    [LoggerMessage(EventId = 1120, Level = LogLevel.Warning, Message = "The filter threw for instance string '{Raw}'; the instance is left out.")]
    private static partial void LogPredicateFailed(ILogger logger, string raw, Exception exception);

    [LoggerMessage(EventId = 1121, Level = LogLevel.Error, Message = "A subscriber of a filtered instancer threw; it keeps receiving events and nobody else was delayed.")]
    private static partial void LogSubscriberFailed(ILogger logger, Exception exception);
}
