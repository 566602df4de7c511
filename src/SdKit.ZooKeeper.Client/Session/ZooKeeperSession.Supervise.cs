using SdKit.ZooKeeper.Client.Protocol;
using SdKit.ZooKeeper.Client.Protocol.Requests;

namespace SdKit.ZooKeeper.Client.Session;

/// <summary>
/// The supervisor loop: tries the servers in shuffled order, keeps the session on connection loss, reports expiry and
/// opens a new session, and backs off (capped, with jitter) after a round in which no server answered.
/// </summary>
internal sealed partial class ZooKeeperSession
{
    private static readonly TimeSpan BackoffBase = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan BackoffCap = TimeSpan.FromSeconds(1);

    private async Task SuperviseAsync(CancellationToken cancellationToken)
    {
        var hosts = _connectString.Hosts.ToArray();
        Random.Shared.Shuffle(hosts);
        var next = 0;
        var failuresInRound = 0;
        var failedRounds = 0;
        long? disconnectedAt = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            var server = hosts[next];
            next = (next + 1) % hosts.Length;
            ZooKeeperConnection connection;
            try
            {
                connection = await ZooKeeperConnection.OpenAsync(this, server, AttemptTimeout(hosts.Length), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (SessionExpiredException ex)
            {
                OnExpired(ex);
                if (_terminal is not null)
                {
                    return;
                }

                next = (next + hosts.Length - 1) % hosts.Length;
                continue;
            }
            catch (AuthFailedException ex)
            {
                OnAuthFailed(ex);
                return;
            }
            catch (Exception ex)
            {
                _lastConnectError = ex;
                Log.ConnectFailed(_logger, server.ToString(), ex.Message);
                if (++failuresInRound < hosts.Length)
                {
                    continue;
                }

                failuresInRound = 0;
                failedRounds++;
                if (disconnectedAt is { } since && Time.GetElapsedTime(since) > Options.SessionTimeout)
                {
                    FailQueued(new ConnectionLossException(null, $"No ZooKeeper server could be reached for {Time.GetElapsedTime(since).TotalMilliseconds:0} ms."));
                }

                try
                {
                    await Task.Delay(Backoff(failedRounds), Time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            failuresInRound = 0;
            failedRounds = 0;
            disconnectedAt = null;
            var reason = await RunConnectionAsync(connection).ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested || _closing)
            {
                return;
            }

            if (reason is AuthFailedException authFailed)
            {
                OnAuthFailed(authFailed);
                return;
            }

            disconnectedAt = Time.GetTimestamp();
            s_disconnections.Add(1);
            Log.Disconnected(_logger, connection.Server.ToString(), SessionId, reason.Message);
            Publish(ZooKeeperSessionState.Disconnected);
        }
    }

    private async Task<Exception> RunConnectionAsync(ZooKeeperConnection connection)
    {
        _connection = connection;
        var batches = Watches.Snapshot(SetWatchesBatchChars);
        var setWatches = batches.Select(batch => new SetWatchesOperation(LastZxid, batch) { Generation = Generation }).ToList();
        connection.Start(setWatches);
        Log.Connected(_logger, connection.Server.ToString(), SessionId, connection.NegotiatedTimeoutMs, batches.Count);
        s_connections.Add(1);

        // Connected is reported once the watches are re-armed, so that a change made after a subscriber saw
        // Connected is always reported (persistent watches get no catch-up events for changes made before).
        if (await WatchesReArmedAsync(setWatches, connection).ConfigureAwait(false))
        {
            Watches.NotifyResumed();
            Publish(connection.IsReadOnly ? ZooKeeperSessionState.ConnectedReadOnly : ZooKeeperSessionState.Connected);
            _firstConnect.TrySetResult();
        }

        var reason = await connection.Ended.ConfigureAwait(false);
        _connection = null;
        await connection.DisposeAsync().ConfigureAwait(false);
        return reason;
    }

    private async Task<bool> WatchesReArmedAsync(List<SetWatchesOperation> setWatches, ZooKeeperConnection connection)
    {
        try
        {
            await Task.WhenAll(setWatches.Select(s => s.Task)).ConfigureAwait(false);
            return true;
        }
        catch (ZooKeeperException ex)
        {
            Log.SetWatchesFailed(_logger, ex.Message);
            connection.Abort(ex);
            return false;
        }
    }

    private void OnExpired(SessionExpiredException reason)
    {
        var expiredId = SessionId;
        Interlocked.Increment(ref _generation);
        Interlocked.Exchange(ref _sessionId, 0);
        _password = [];
        Log.Expired(_logger, expiredId, Options.ReconnectAfterExpiry);
        s_expirations.Add(1);
        var failure = new SessionExpiredException(null, $"The ZooKeeper session 0x{expiredId:x} expired.", reason);
        Watches.FailAll(failure);
        Publish(ZooKeeperSessionState.Expired);
        if (!Options.ReconnectAfterExpiry)
        {
            _terminal = failure;
            FailQueued(failure);
            _firstConnect.TrySetException(failure);
        }
    }

    private void OnAuthFailed(AuthFailedException reason)
    {
        Log.AuthFailed(_logger, reason.Message);
        _terminal = reason;
        FailQueued(reason);
        Watches.FailAll(reason);
        Publish(ZooKeeperSessionState.AuthFailed);
        _firstConnect.TrySetException(reason);
    }

    private TimeSpan AttemptTimeout(int hostCount)
    {
        var timeout = SessionId != 0 ? NegotiatedTimeout : Options.SessionTimeout;
        var perHost = timeout / Math.Max(1, hostCount);
        var floor = TimeSpan.FromMilliseconds(500);
        return perHost < floor ? floor : perHost > Options.ConnectTimeout ? Options.ConnectTimeout : perHost;
    }

    private static TimeSpan Backoff(int failedRounds)
    {
        var exponential = BackoffBase * Math.Pow(2, Math.Min(failedRounds - 1, 10));
        var capped = exponential > BackoffCap ? BackoffCap : exponential;
        return capped * (0.5 + (Random.Shared.NextDouble() / 2));
    }
}
