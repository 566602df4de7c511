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
    private readonly CancellationTokenSource _disposing = new();
    private readonly IDisposable _subscription;
    private CancellationTokenSource _changed = new();
    private volatile bool _answered;

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
        if (_firstSnapshotTimeout > TimeSpan.Zero && await WaitForFirstEventAsync(cancellationToken).ConfigureAwait(false))
        {
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
    void IObserver<InstanceEvent>.OnNext(InstanceEvent value) => Signal();

    /// <inheritdoc/>
    void IObserver<InstanceEvent>.OnError(Exception error) => Signal();

    /// <inheritdoc/>
    void IObserver<InstanceEvent>.OnCompleted() => Signal();

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _subscription.Dispose();
        _disposing.Cancel();
        Signal();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Waits until the registry has answered (an empty service and a failed first read are answers too), at most
    /// the first-snapshot timeout. Returns whether it had to wait, so the caller takes a fresh change token.
    /// </summary>
    private async ValueTask<bool> WaitForFirstEventAsync(CancellationToken cancellationToken)
    {
        if (_answered)
        {
            return false;
        }

        // The timeout cancels the instancer's wait rather than abandoning it, so nothing is left pending.
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
        limit.CancelAfter(_firstSnapshotTimeout);
        try
        {
            await _instancer.WaitForFirstEventAsync(limit.Token).ConfigureAwait(false);
            _answered = true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && !_disposing.IsCancellationRequested)
        {
            Log.FirstSnapshotTimedOut(_logger, _servicePath, _firstSnapshotTimeout);
        }
        catch (OperationCanceledException) when (_disposing.IsCancellationRequested)
        {
            // Disposed while waiting: answer with what is known.
        }
        catch (ObjectDisposedException)
        {
            // The application is shutting down and the instancer went first: answer with what is known.
        }

        return true;
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
