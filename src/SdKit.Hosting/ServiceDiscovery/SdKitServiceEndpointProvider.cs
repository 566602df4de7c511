using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.ServiceDiscovery;
using SdKit.Instances;

namespace SdKit.Hosting.ServiceDiscovery;

/// <summary>
/// Resolves one service for Microsoft.Extensions.ServiceDiscovery from an SdKit instancer. Every change the
/// instancer publishes fires the change token handed out with the previous answer, so the resolver refreshes at
/// once instead of polling.
/// </summary>
internal sealed partial class SdKitServiceEndpointProvider : IServiceEndpointProvider, IObserver<InstanceEvent>
{
    private readonly ServiceEndpointQuery _query;
    private readonly string _servicePath;
    private readonly IInstancer _instancer;
    private readonly TimeSpan _firstSnapshotTimeout;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _firstSnapshot = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IDisposable _subscription;
    private CancellationTokenSource _changed = new();
    private int _events;

    public SdKitServiceEndpointProvider(ServiceEndpointQuery query, string servicePath, IInstancer instancer, TimeSpan firstSnapshotTimeout, ILogger logger)
    {
        _query = query;
        _servicePath = servicePath;
        _instancer = instancer;
        _firstSnapshotTimeout = firstSnapshotTimeout;
        _logger = logger;
        _subscription = instancer.Subscribe(this);
    }

    /// <inheritdoc/>
    public async ValueTask PopulateAsync(IServiceEndpointBuilder endpoints, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        // The token is taken before the snapshot is read: a change that lands in between fires it, so no update
        // is ever lost between two resolutions.
        var changed = Volatile.Read(ref _changed).Token;
        if (!_firstSnapshot.Task.IsCompleted && _firstSnapshotTimeout > TimeSpan.Zero)
        {
            try
            {
                await _firstSnapshot.Task.WaitAsync(_firstSnapshotTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                Log.FirstSnapshotTimedOut(_logger, _servicePath, _firstSnapshotTimeout);
            }

            changed = Volatile.Read(ref _changed).Token;
        }

        var current = _instancer.Current;
        foreach (var instance in current.Instances)
        {
            if (!InstanceEndPoints.TryParse(instance, out var endPoint))
            {
                Log.UnreadableInstance(_logger, _servicePath, instance);
                continue;
            }

            if (InstanceEndPoints.MatchesSchemes(endPoint, _query.IncludedSchemes))
            {
                endpoints.Endpoints.Add(ServiceEndpoint.Create(endPoint));
            }
        }

        if (current.Error is { } error)
        {
            Log.StaleInstances(_logger, error, _servicePath, current.Instances.Length);
        }

        endpoints.AddChangeToken(new CancellationChangeToken(changed));
    }

    /// <inheritdoc/>
    void IObserver<InstanceEvent>.OnNext(InstanceEvent value)
    {
        // The first event is the instancer's replay of its current state; an empty replay may mean "not read
        // yet", so the first resolution waits for a second event unless the first one already says something.
        var count = Interlocked.Increment(ref _events);
        if (count > 1 || !value.Instances.IsEmpty || value.Error is not null)
        {
            _firstSnapshot.TrySetResult();
        }

        Signal();
    }

    /// <inheritdoc/>
    void IObserver<InstanceEvent>.OnError(Exception error) => Signal();

    /// <inheritdoc/>
    void IObserver<InstanceEvent>.OnCompleted() => Signal();

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _subscription.Dispose();
        _firstSnapshot.TrySetResult();
        Signal();
        return ValueTask.CompletedTask;
    }

    /// <summary>Replaces the change token and fires the old one off the instancer's thread.</summary>
    private void Signal()
    {
        var previous = Interlocked.Exchange(ref _changed, new CancellationTokenSource());
        _ = previous.CancelAsync();
    }

    /// <inheritdoc/>
    public override string ToString() => $"SdKit({_servicePath})";
}
