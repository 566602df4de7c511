using SdKit.Client;
using SdKit.Diagnostics;

namespace SdKit.Instances;

/// <content>The watch loop: snapshots in, deduplicated events out, backoff after failures.</content>
public sealed partial class Instancer
{
    private async Task WatchLoopAsync(CancellationToken stopping)
    {
        var backoff = new Backoff(_options.Backoff, _options.TimeProvider);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await foreach (var snapshot in _client.WatchAsync(_servicePath, stopping).ConfigureAwait(false))
                {
                    if (backoff.Attempts > 0)
                    {
                        LogWatchRecovered(_logger, _servicePath, backoff.Attempts);
                        backoff.Reset();
                    }

                    Publish(new InstanceEvent(snapshot));
                }

                if (!stopping.IsCancellationRequested)
                {
                    throw new DiscoveryException($"The watch of '{_servicePath}' ended although it was not cancelled.");
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Any backend failure becomes an event value; the loop must survive it.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                var delay = backoff.Next();
                LogWatchFailed(_logger, _servicePath, backoff.Attempts, delay, ex);

                // The last good instances stay in the event: subscribers may keep using them as stale data.
                Publish(_events.Current.WithError(ex));
                try
                {
                    await WaitBeforeRetryAsync(delay, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Waits out the backoff delay, or less when the client reports it is connected again.</summary>
    private async Task WaitBeforeRetryAsync(TimeSpan delay, CancellationToken stopping)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var timer = Task.Delay(delay, _options.TimeProvider, wait.Token);
        var reconnected = _reconnected.WaitAsync(wait.Token);
        await Task.WhenAny(timer, reconnected).ConfigureAwait(false);
        await wait.CancelAsync().ConfigureAwait(false);
        stopping.ThrowIfCancellationRequested();
    }

    private void OnConnectionState(ConnectionState state)
    {
        if (state == ConnectionState.Reconnected && Volatile.Read(ref _disposed) == 0)
        {
            try
            {
                _reconnected.Release();
            }
            catch (SemaphoreFullException)
            {
                // A wake-up is already pending.
            }
            catch (ObjectDisposedException)
            {
                // Disposed meanwhile.
            }
        }
    }

    private void Publish(InstanceEvent next)
    {
        // Only the watch loop publishes, so reading Current and then publishing cannot race another writer.
        var previous = _events.Current;
        if (previous.Equals(next))
        {
            // An empty first snapshot equals the placeholder event, yet it is the registry's answer.
            _firstEvent.TrySetResult(true);
            return;
        }

        _events.Publish(next);
        _firstEvent.TrySetResult(true);
        SdKitMetrics.InstancerInstances.Add(next.Instances.Length - previous.Instances.Length, _pathTag);
        var tags = _pathTag;
        tags.Add(SdKitMetrics.OutcomeTag, next.Error is null ? "ok" : "error");
        SdKitMetrics.InstancerEvents.Add(1, tags);
        LogPublished(_logger, _servicePath, next.Instances.Length, next.Error is not null);
        ReportChange(previous, next);
    }
}
