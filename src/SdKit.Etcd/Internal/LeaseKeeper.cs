using Etcdserverpb;
using Microsoft.Extensions.Logging;
using SdKit.Client;

namespace SdKit.Etcd;

/// <summary>
/// Owns the client's one lease: grants it, keeps it alive at the configured interval over a keep-alive stream, and
/// when it is gone (the server answers TTL 0, or no keep-alive was confirmed for a whole TTL) reports
/// <see cref="ConnectionState.Lost"/>, revokes what may be left of it, grants a new one as soon as etcd answers and
/// reports <see cref="ConnectionState.Reconnected"/>. Re-registering entries is the registrar's job, not this one's.
/// </summary>
internal sealed partial class LeaseKeeper : IAsyncDisposable
{
    private readonly EtcdConnection _connection;
    private readonly ConnectionStateTracker _state;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly long _ttlSeconds;
    private readonly TimeSpan _requestedTtl;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _answerTimeout;
    private readonly TimeSpan _maxRetryDelay;
    private readonly CancellationTokenSource _stop = new();
    private readonly LeaseSpans _spans = new();
    private readonly object _gate = new();
    private TaskCompletionSource<long> _lease = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource? _wake;
    private Task _loop = Task.CompletedTask;

    /// <summary>The TTL etcd granted: the requested one, or more when etcd raised it to its minimum.</summary>
    private TimeSpan _ttl;

    /// <summary>When etcd last confirmed the current lease (grant or keep-alive); only the loop writes it after start.</summary>
    private DateTimeOffset _lastConfirmed;

    public LeaseKeeper(EtcdConnection connection, ConnectionStateTracker state, EtcdDiscoveryOptions options, TimeProvider time, ILogger logger)
    {
        _connection = connection;
        _state = state;
        _time = time;
        _logger = logger;
        _requestedTtl = options.LeaseTtl;
        _ttl = options.LeaseTtl;
        _ttlSeconds = (long)options.LeaseTtl.TotalSeconds;
        _interval = options.EffectiveKeepAliveInterval;
        _answerTimeout = TimeSpan.FromTicks(Math.Max(EtcdDefaults.MinKeepAliveAnswerTimeout.Ticks, Math.Min(options.RequestTimeout.Ticks, _interval.Ticks)));
        _maxRetryDelay = options.MaxRetryDelay;
    }

    /// <summary>Gets the current lease, or <see langword="null"/> while a lost lease is being replaced.</summary>
    public long? CurrentLease
    {
        get
        {
            lock (_gate)
            {
                return _lease.Task.IsCompletedSuccessfully ? _lease.Task.Result : null;
            }
        }
    }

    /// <summary>Grants the first lease (failing with a clear error when etcd cannot be used) and starts keeping it alive.</summary>
    /// <remarks>
    /// Cancelling waits for a grant already sent (up to the request deadline): when etcd granted it, the lease is
    /// recorded before the cancellation is thrown, so <see cref="DisposeAsync"/> revokes it instead of leaving it behind.
    /// </remarks>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var lease = await GrantAsync(cancellationToken).ConfigureAwait(false);
        _lastConfirmed = _time.GetUtcNow();
        _lease.SetResult(lease);
        Log.LeaseGranted(_logger, lease, _ttlSeconds);
        cancellationToken.ThrowIfCancellationRequested();
        _loop = Task.Run(() => RunAsync(lease, _stop.Token), CancellationToken.None);
    }

    /// <summary>Returns the current lease, waiting up to the request timeout while a lost one is being replaced.</summary>
    public async Task<long> WaitForLeaseAsync(CancellationToken cancellationToken)
    {
        Task<long> lease;
        lock (_gate)
        {
            lease = _lease.Task;
        }

        try
        {
            return await lease.WaitAsync(_connection.RequestTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            throw new EtcdException($"The etcd lease was lost and etcd at {_connection.Endpoints} has not granted a new one within {_connection.RequestTimeout.TotalSeconds:0.###} s; the client keeps trying.", ex, isTransient: true);
        }
    }

    /// <summary>Makes the keep-alive loop check the lease now (a request saw it missing, or failed).</summary>
    public void CheckNow()
    {
        lock (_gate)
        {
            _wake?.Cancel();
        }
    }

    /// <summary>
    /// Stops the loop and revokes the current lease. A replacement lease whose grant is in flight is waited for (up to
    /// the request deadline) and revoked too, so no lease of this client outlives it; a failed revoke is logged.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _spans.Stopped();
        if (CurrentLease is { } lease)
        {
            try
            {
                await RevokeAsync(lease, CancellationToken.None).ConfigureAwait(false);
                Log.LeaseRevoked(_logger, lease);
            }
            catch (EtcdException ex)
            {
                Log.RevokeOnDisposeFailed(_logger, lease, ex);
            }
        }

        _stop.Dispose();
    }

    private async Task RunAsync(long lease, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var outlasted = await KeepAliveAsync(lease, stop).ConfigureAwait(false);
                MarkLost(lease, outlasted);
                lease = await RegrantAsync(outlasted ? lease : null, stop).ConfigureAwait(false);
                _lastConfirmed = _time.GetUtcNow();
                lock (_gate)
                {
                    _lease.TrySetResult(lease);
                }

                Log.LeaseGranted(_logger, lease, _ttlSeconds);
                _spans.Granted(LeaseName(lease));
                if (stop.IsCancellationRequested)
                {
                    // Granted while the client was being disposed: DisposeAsync revokes it; nobody is left to reconnect.
                    return;
                }

                _state.Report(ConnectionState.Reconnected);
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                // Disposal: a call cut short by it may end with any gRPC status.
                return;
            }
#pragma warning disable CA1031 // The loop must outlive any surprise: it logs, pauses and carries on with the lease it has.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                if (IsOutageFailure(ex))
                {
                    // A deadline or a cut connection during an outage: expected, and the next pass checks the lease again.
                    Log.LoopInterrupted(_logger, ex.GetType().Name, ex.Message);
                    _state.Report(ConnectionState.Suspended);
                }
                else
                {
                    Log.LoopFailed(_logger, ex);
                }

                try
                {
                    await DelayAsync(_maxRetryDelay, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Whether a failure is what an outage (a cut, a partition, a paused member) produces, rather than a bug.</summary>
    internal static bool IsOutageFailure(Exception ex) => ex switch
    {
        EtcdException etcd => etcd.IsTransient,
        OperationCanceledException or TimeoutException or IOException or HttpRequestException or System.Net.Sockets.SocketException => true,
        Grpc.Core.RpcException rpc => rpc.StatusCode is Grpc.Core.StatusCode.Unavailable or Grpc.Core.StatusCode.DeadlineExceeded or Grpc.Core.StatusCode.Cancelled,
        _ => false,
    };

    private void MarkLost(long lease, bool outlasted)
    {
        lock (_gate)
        {
            if (_lease.Task.IsCompleted)
            {
                _lease = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        EtcdTelemetry.LeasesLost.Add(1);
        var reason = outlasted ? "no keep-alive was confirmed for a whole TTL" : "etcd says it no longer exists";
        Log.LeaseLost(_logger, lease, reason);
        _spans.Lost(LeaseName(lease), outlasted ? "keep_alive_unconfirmed" : "not_found");
        _state.Report(ConnectionState.Lost);
    }

    /// <summary>Grants a lease.</summary>
    /// <param name="stopWaiting">
    /// Stops retrying a request that never reached etcd. A request that was sent is not cancelled by it, only by its
    /// deadline: etcd may already have granted the lease, and only the answer says which lease to revoke. Cancelling
    /// the call instead would leave that lease (and nothing else) behind until its TTL ran out.
    /// </param>
    private async Task<long> GrantAsync(CancellationToken stopWaiting)
    {
        LeaseGrantResponse response;
        try
        {
            response = await _connection.CallAsync("lease grant", $"TTL {_ttlSeconds} s",
                (deadline, _) => _connection.Client.LeaseGrantAsync(new LeaseGrantRequest { TTL = _ttlSeconds }, deadline: deadline, cancellationToken: CancellationToken.None),
                stopWaiting).ConfigureAwait(false);
        }
        catch (Exception ex) when (stopWaiting.IsCancellationRequested)
        {
            Log.GrantUnansweredOnStop(_logger, _ttlSeconds, ex.Message);
            if (ex is OperationCanceledException)
            {
                throw;
            }

            // The caller stopped waiting: that is what it must see (a CLI timeout, a host shutting down), with the
            // request's own failure kept as the reason.
            throw new OperationCanceledException($"Stopped waiting for a lease grant from etcd at {_connection.Endpoints}: {ex.Message}", ex, stopWaiting);
        }

        if (!string.IsNullOrEmpty(response.Error))
        {
            throw new EtcdException($"etcd at {_connection.Endpoints} refused a lease of {_ttlSeconds} s: {response.Error}", null, isTransient: true);
        }

        // Only the loop reads it after start; a longer TTL from etcd means waiting longer before calling the lease lost.
        var granted = TimeSpan.FromSeconds(response.TTL);
        _ttl = granted > _requestedTtl ? granted : _requestedTtl;
        return response.ID;
    }

    private Task<LeaseRevokeResponse> RevokeAsync(long lease, CancellationToken cancellationToken)
        => _connection.CallAsync("lease revoke", LeaseName(lease),
            (deadline, ct) => _connection.Client.LeaseRevokeAsync(new LeaseRevokeRequest { ID = lease }, deadline: deadline, cancellationToken: ct),
            cancellationToken);

    private async Task DelayAsync(TimeSpan delay, CancellationToken stop)
    {
        CancellationTokenSource wake;
        lock (_gate)
        {
            wake = CancellationTokenSource.CreateLinkedTokenSource(stop);
            _wake = wake;
        }

        try
        {
            await Task.Delay(delay, _time, wake.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            // Woken early by CheckNow.
        }
        finally
        {
            lock (_gate)
            {
                _wake = null;
            }

            wake.Dispose();
        }

        stop.ThrowIfCancellationRequested();
    }

    internal static string LeaseName(long lease) => lease.ToString("x", System.Globalization.CultureInfo.InvariantCulture);
}
