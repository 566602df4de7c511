using Etcdserverpb;
using Grpc.Core;
using SdKit.Client;

namespace SdKit.Etcd;

/// <summary>The keep-alive and re-grant loops.</summary>
internal sealed partial class LeaseKeeper
{
    /// <summary>
    /// Keeps <paramref name="lease"/> alive until it is gone. Returns <see langword="false"/> when etcd said so (TTL 0),
    /// <see langword="true"/> when no keep-alive was confirmed for a whole TTL (etcd has dropped it by now, or will).
    /// </summary>
    private async Task<bool> KeepAliveAsync(long lease, CancellationToken stop)
    {
        var backoff = new Backoff(EtcdDefaults.InitialRetryDelay, _maxRetryDelay);
        while (true)
        {
            // The stream gets its own token: a keep-alive that goes unanswered cancels the whole call, because a
            // gRPC call with retries enabled does not always give up a pending write on the write's own token.
            using var callLifetime = CancellationTokenSource.CreateLinkedTokenSource(stop);
            AsyncDuplexStreamingCall<LeaseKeepAliveRequest, LeaseKeepAliveResponse>? call = null;
            try
            {
                call = _connection.Client.GetConnection().LeaseClient.LeaseKeepAlive(cancellationToken: callLifetime.Token);
                while (true)
                {
                    var ttl = await KeepAliveOnceAsync(call, callLifetime, lease, stop).ConfigureAwait(false);
                    if (ttl <= 0)
                    {
                        return false;
                    }

                    _lastConfirmed = _time.GetUtcNow();
                    backoff.Reset();
                    if (_state.Current == ConnectionState.Suspended)
                    {
                        Log.KeepAliveRecovered(_logger, LeaseName(lease));
                        _state.Report(ConnectionState.Reconnected);
                    }

                    await DelayAsync(_interval, stop).ConfigureAwait(false);
                }
            }
#pragma warning disable CA1031 // Whatever broke the stream, the answer is the same: count the silence, pause, open a new stream.
            catch (Exception ex) when (!stop.IsCancellationRequested)
#pragma warning restore CA1031
            {
                await callLifetime.CancelAsync().ConfigureAwait(false);
                var silentFor = _time.GetUtcNow() - _lastConfirmed;
                Log.KeepAliveFailed(_logger, LeaseName(lease), silentFor.TotalSeconds, ex.Message);
                _state.Report(ConnectionState.Suspended);
                if (silentFor >= _ttl)
                {
                    return true;
                }

                var pause = backoff.Next();
                var left = _ttl - silentFor;
                await DelayAsync(pause < left ? pause : left, stop).ConfigureAwait(false);
            }
            finally
            {
                call?.Dispose();
            }
        }
    }

    private async Task<long> KeepAliveOnceAsync(AsyncDuplexStreamingCall<LeaseKeepAliveRequest, LeaseKeepAliveResponse> call, CancellationTokenSource callLifetime, long lease, CancellationToken stop)
    {
        var exchange = ExchangeAsync(call, lease, callLifetime.Token);
        try
        {
            return await exchange.WaitAsync(_answerTimeout, _time, stop).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            await callLifetime.CancelAsync().ConfigureAwait(false);
            _ = exchange.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw new EtcdException($"etcd at {_connection.Endpoints} did not answer a keep-alive of lease {LeaseName(lease)} within {_answerTimeout.TotalSeconds:0.###} s.", ex, isTransient: true);
        }
    }

    private async Task<long> ExchangeAsync(AsyncDuplexStreamingCall<LeaseKeepAliveRequest, LeaseKeepAliveResponse> call, long lease, CancellationToken cancellationToken)
    {
        await call.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = lease }, cancellationToken).ConfigureAwait(false);
        if (!await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            throw new EtcdException($"etcd at {_connection.Endpoints} closed the keep-alive stream of lease {LeaseName(lease)}.", null, isTransient: true);
        }

        return call.ResponseStream.Current.TTL;
    }

    /// <summary>Grants a new lease, retrying with backoff until etcd answers; revokes the old one first when it may still exist.</summary>
    private async Task<long> RegrantAsync(long? stale, CancellationToken stop)
    {
        var backoff = new Backoff(EtcdDefaults.InitialRetryDelay, _maxRetryDelay);
        while (true)
        {
            try
            {
                if (stale is { } old)
                {
                    // The outage outlasted the TTL from our side; if etcd still holds the lease (it was only our
                    // link that failed), its entries must go before the registrar writes new ones, or both would show.
                    await RevokeStaleAsync(old, stop).ConfigureAwait(false);
                    stale = null;
                }

                return await GrantAsync(stop).ConfigureAwait(false);
            }
            catch (EtcdException ex) when (!stop.IsCancellationRequested)
            {
                Log.RegrantFailed(_logger, ex.Message);
                await DelayAsync(backoff.Next(), stop).ConfigureAwait(false);
            }
        }
    }

    private async Task RevokeStaleAsync(long lease, CancellationToken stop)
    {
        try
        {
            await RevokeAsync(lease, stop).ConfigureAwait(false);
            Log.LeaseRevoked(_logger, lease);
        }
        catch (EtcdException ex) when (ex.InnerException is RpcException { StatusCode: StatusCode.NotFound })
        {
            // Already expired on the server: nothing left to remove.
        }
    }
}
