using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SdKit.Client;
using SdKit.Diagnostics;

namespace SdKit.Instances;

/// <summary>
/// The one <see cref="IInstancer"/>: watches a service path through any <see cref="IDiscoveryClient"/> and turns
/// its snapshots into <see cref="InstanceEvent"/>s. It starts watching as soon as it is constructed.
/// </summary>
/// <remarks>
/// <para>A subscriber receives <see cref="Current"/> at once (an empty event before the first snapshot), then every
/// change; equal consecutive events are not sent again. <see cref="WaitForFirstEventAsync"/> waits for the first
/// snapshot or the first watch error.</para>
/// <para>When the watch fails, the instancer publishes an event carrying the error <em>and</em> the last known
/// instances, then watches again with capped exponential backoff and jitter until the backend answers; it never
/// stops updating. Subscribers are served through their own queues: a slow or throwing one delays nobody.</para>
/// </remarks>
public sealed partial class Instancer : IInstancer
{
    private readonly IDiscoveryClient _client;
    private readonly string _servicePath;
    private readonly InstancerOptions _options;
    private readonly ILogger _logger;
    private readonly Broadcaster<InstanceEvent> _events;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TagList _pathTag;
    private readonly SemaphoreSlim _reconnected = new(0, 1);

    // True once the registry has answered, false when disposal came first: never faulted, so an abandoned wait
    // leaves no unobserved exception behind.
    private readonly TaskCompletionSource<bool> _firstEvent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IDisposable _stateSubscription;
    private readonly Task _watchLoop;
    private int _disposed;

    /// <summary>Initializes a new instancer and starts watching <paramref name="servicePath"/>.</summary>
    /// <param name="client">The backend to watch through. Not owned: disposing the instancer leaves it open.</param>
    /// <param name="servicePath">The service path, for example <c>/services/hello</c>.</param>
    /// <param name="options">Backoff and clock; <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Where watch failures and recoveries are logged.</param>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="servicePath"/> is not a valid service path.</exception>
    public Instancer(IDiscoveryClient client, string servicePath, InstancerOptions? options = null, ILogger<Instancer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        servicePath = ServicePaths.Normalize(servicePath);
        options ??= new InstancerOptions();
        options.Validate();

        _client = client;
        _servicePath = servicePath;
        _options = new InstancerOptions { Backoff = options.Backoff.Clone(), TimeProvider = options.TimeProvider };
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _pathTag = new TagList { { SdKitMetrics.ServicePathTag, servicePath } };
        _events = new Broadcaster<InstanceEvent>(InstanceEvent.Empty, ex => LogSubscriberFailed(_logger, _servicePath, ex));
        _stateSubscription = client.StateChanges.Subscribe(System.Reactive.Observer.Create<ConnectionState>(OnConnectionState));
        _watchLoop = Task.Run(() => WatchLoopAsync(_stopping.Token));
    }

    /// <summary>Gets the service path this instancer watches.</summary>
    public string ServicePath => _servicePath;

    /// <inheritdoc/>
    public InstanceEvent Current => _events.Current;

    /// <inheritdoc/>
    public IDisposable Subscribe(IObserver<InstanceEvent> observer) => _events.Subscribe(observer);

    /// <inheritdoc/>
    public ValueTask<InstanceEvent> WaitForFirstEventAsync(CancellationToken cancellationToken = default)
    {
        var first = _firstEvent.Task;
        return first.IsCompletedSuccessfully && first.Result
            ? new ValueTask<InstanceEvent>(_events.Current)
            : WaitForFirstEventSlowAsync(first, cancellationToken);
    }

    /// <summary>Stops the watch and completes every subscriber's stream.</summary>
    /// <returns>A task that completes when the watch loop has ended.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stateSubscription.Dispose();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _watchLoop.ConfigureAwait(false);
        _stopping.Dispose();
        _reconnected.Dispose();
        SdKitMetrics.InstancerInstances.Add(-_events.Current.Instances.Length, _pathTag);
        _events.Complete();
        _firstEvent.TrySetResult(false);
    }

    private async ValueTask<InstanceEvent> WaitForFirstEventSlowAsync(Task<bool> first, CancellationToken cancellationToken)
    {
        if (!await first.WaitAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new ObjectDisposedException(nameof(Instancer), $"The instancer of '{_servicePath}' was disposed before the registry answered.");
        }

        return _events.Current;
    }
}
