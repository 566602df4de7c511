using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SdKit.Diagnostics;
using SdKit.Instances.Codecs;

namespace SdKit.Instances;

/// <summary>
/// Decodes an <see cref="IInstancer"/>'s events with an <see cref="IInstanceCodec"/> into
/// <see cref="ServiceInstanceEvent"/>s carrying the typed set, the undecodable strings and the delta.
/// </summary>
/// <remarks>
/// A string that does not decode is logged, counted (<see cref="SdKitDiagnostics.InstanceDecodeFailures"/>),
/// carried on the event and left out; it never ends the stream or hides the other instances. A second instance
/// with an id already seen in the same event is reported the same way. Strings seen in the previous event are not
/// decoded again. A new subscriber receives <see cref="Current"/> at once, like the string instancer's.
/// </remarks>
public sealed partial class TypedInstancer : IObservable<ServiceInstanceEvent>, IAsyncDisposable
{
    private readonly IInstancer _source;
    private readonly IInstanceCodec _codec;
    private readonly ILogger _logger;
    private readonly Broadcaster<ServiceInstanceEvent> _events;
    private readonly object _gate = new();
    private readonly IDisposable _subscription;
    private Dictionary<string, InstanceDecodeResult> _decoded = new(StringComparer.Ordinal);
    private ServiceInstanceEvent _current = ServiceInstanceEvent.Empty;
    private int _disposed;

    /// <summary>Initializes a new view over <paramref name="source"/> and subscribes to it.</summary>
    /// <param name="source">The string instancer. Not owned: disposing this view leaves it running.</param>
    /// <param name="codec">The layout's codec.</param>
    /// <param name="logger">Where decode failures are logged.</param>
    public TypedInstancer(IInstancer source, IInstanceCodec codec, ILogger<TypedInstancer>? logger = null)
        : this(source, codec, (ILogger?)logger)
    {
    }

    /// <summary>Initializes a new view logging to any logger (for views built inside other components, such as <see cref="FilteredInstancer"/>).</summary>
    internal TypedInstancer(IInstancer source, IInstanceCodec codec, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(codec);
        _source = source;
        _codec = codec;
        _logger = logger ?? NullLogger.Instance;
        _events = new Broadcaster<ServiceInstanceEvent>(ServiceInstanceEvent.Empty, ex => LogSubscriberFailed(_logger, ex));
        Apply(source.Current);
        _subscription = source.Subscribe(System.Reactive.Observer.Create<InstanceEvent>(Apply, static _ => { }, _events.Complete));
    }

    /// <summary>Gets the most recent typed event.</summary>
    public ServiceInstanceEvent Current => _events.Current;

    /// <summary>Waits for the source's first answer, then returns the typed event for it.</summary>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <returns>The most recent typed event.</returns>
    public async ValueTask<ServiceInstanceEvent> WaitForFirstEventAsync(CancellationToken cancellationToken = default)
    {
        var first = await _source.WaitForFirstEventAsync(cancellationToken).ConfigureAwait(false);
        Apply(first);
        return Current;
    }

    /// <inheritdoc/>
    public IDisposable Subscribe(IObserver<ServiceInstanceEvent> observer) => _events.Subscribe(observer);

    /// <summary>Stops following the source and completes every subscriber's stream; the source keeps running.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _subscription.Dispose();
            _events.Complete();
        }

        return ValueTask.CompletedTask;
    }

    private void Apply(InstanceEvent source)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_current.Source, source) || (_current != ServiceInstanceEvent.Empty && _current.Source.Equals(source)))
            {
                return;
            }

            var decoded = new Dictionary<string, InstanceDecodeResult>(source.Instances.Length, StringComparer.Ordinal);
            var byId = new Dictionary<string, ServiceInstance>(source.Instances.Length, StringComparer.Ordinal);
            var failures = ImmutableArray.CreateBuilder<InstanceDecodeFailure>();
            foreach (var raw in source.Instances)
            {
                if (!_decoded.TryGetValue(raw, out var result))
                {
                    result = _codec.Decode(raw);
                    if (result.Succeeded && !string.Equals(result.Instance!.Raw, raw, StringComparison.Ordinal))
                    {
                        // Raw is always the string decoded, whatever the codec filled in: filters map instances back by it.
                        result = InstanceDecodeResult.Success(result.Instance.WithRaw(raw));
                    }
                    else if (!result.Succeeded)
                    {
                        LogDecodeFailed(_logger, raw, result.Failure!);
                        SdKitMetrics.InstanceDecodeFailures.Add(1, new TagList { { SdKitMetrics.CodecTag, _codec.GetType().Name } });
                    }
                }

                decoded[raw] = result;
                if (!result.Succeeded)
                {
                    failures.Add(new InstanceDecodeFailure(raw, result.Failure!));
                }
                else if (!byId.TryAdd(result.Instance!.Id, result.Instance))
                {
                    failures.Add(new InstanceDecodeFailure(raw, $"Instance string '{raw}' has id '{result.Instance.Id}', which another instance in the same set already has."));
                }
            }

            var instances = byId.Values.OrderBy(i => i.Id, StringComparer.Ordinal).ToImmutableArray();
            var previous = _current.Instances.ToDictionary(i => i.Id, StringComparer.Ordinal);
            var added = ImmutableArray.CreateBuilder<ServiceInstance>();
            var changed = ImmutableArray.CreateBuilder<ServiceInstance>();
            foreach (var instance in instances)
            {
                if (!previous.Remove(instance.Id, out var old))
                {
                    added.Add(instance);
                }
                else if (!old.Equals(instance))
                {
                    changed.Add(instance);
                }
            }

            var removed = previous.Values.OrderBy(i => i.Id, StringComparer.Ordinal).ToImmutableArray();
            _decoded = decoded;
            _current = new ServiceInstanceEvent(source, instances, failures.ToImmutable(), added.ToImmutable(), removed, changed.ToImmutable())
            {
                Sequence = _current.Sequence + 1,
            };
            _events.Publish(_current);
        }
    }

    [LoggerMessage(EventId = 1110, Level = LogLevel.Warning, Message = "Instance string '{Raw}' did not decode and is left out: {Reason}")]
    private static partial void LogDecodeFailed(ILogger logger, string raw, string reason);

    [LoggerMessage(EventId = 1111, Level = LogLevel.Error, Message = "A subscriber of a typed instancer threw; it keeps receiving events and nobody else was delayed.")]
    private static partial void LogSubscriberFailed(ILogger logger, Exception exception);
}
