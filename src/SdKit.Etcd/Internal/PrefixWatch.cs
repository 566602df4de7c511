using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace SdKit.Etcd;

/// <summary>
/// One watch of a service path: lists the prefix with its revision, then watches from the next revision and keeps a
/// map of the entries, handing out the full set of values after every change. A broken stream is resumed from the
/// last revision seen (a few times in a row, with backoff) and a compacted revision makes it list again; only a
/// failure that keeps repeating, or a refusal, is thrown to the caller.
/// </summary>
internal sealed partial class PrefixWatch : IAsyncDisposable
{
    private readonly EtcdConnection _connection;
    private readonly string _prefix;
    private readonly ByteString _prefixBytes;
    private readonly ByteString _rangeEnd;
    private readonly int _resumeAttempts;
    private readonly Backoff _backoff;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action _onFailure;
    private readonly Dictionary<string, string> _entries = new(StringComparer.Ordinal);
    private AsyncDuplexStreamingCall<WatchRequest, WatchResponse>? _call;
    private long _revision;
    private bool _listed;
    private int _failures;

    public PrefixWatch(EtcdConnection connection, string servicePath, EtcdDiscoveryOptions options, TimeProvider time, ILogger logger, Action onFailure)
    {
        _connection = connection;
        _prefix = EtcdKeys.Prefix(servicePath);
        _prefixBytes = ByteString.CopyFromUtf8(_prefix);
        _rangeEnd = EtcdKeys.RangeEnd(_prefixBytes);
        _resumeAttempts = options.WatchResumeAttempts;
        _backoff = new Backoff(EtcdDefaults.InitialRetryDelay, options.MaxRetryDelay);
        _time = time;
        _logger = logger;
        _onFailure = onFailure;
    }

    /// <summary>Returns the full set of values: at once on the first call, then after the next change.</summary>
    public async ValueTask<IReadOnlyList<string>> NextAsync(CancellationToken cancellationToken)
    {
        if (!_listed)
        {
            await ListAsync(cancellationToken).ConfigureAwait(false);
            return Snapshot();
        }

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            WatchResponse response;
            try
            {
                _call ??= await OpenAsync(cancellationToken).ConfigureAwait(false);
                if (!await _call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
                {
                    throw new EtcdException($"etcd at {_connection.Endpoints} ended the watch of '{_prefix}'.", null, isTransient: true);
                }

                response = _call.ResponseStream.Current;
            }
            // dotnet-etcd's channel throws OperationCanceledException, not RpcException, from a stream write whose call
            // the connection loss ended; only the caller's own token means the watch itself is over.
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is RpcException or EtcdException { IsTransient: true } or IOException or HttpRequestException or OperationCanceledException)
            {
                await ResumeLaterAsync(ex, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (await HandleAsync(response, cancellationToken).ConfigureAwait(false))
            {
                return Snapshot();
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        CloseCall();
        return ValueTask.CompletedTask;
    }

    /// <summary>Applies one watch response; returns whether the set may have changed.</summary>
    private async Task<bool> HandleAsync(WatchResponse response, CancellationToken cancellationToken)
    {
        if (response.CompactRevision > 0)
        {
            // The revision we would resume from is gone: the events in between are lost, so read the whole set again.
            Log.Compacted(_logger, _prefix, _revision, response.CompactRevision);
            EtcdTelemetry.WatchRelists.Add(1);
            CloseCall();
            await ListAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }

        if (response.Canceled)
        {
            CloseCall();
            var reason = string.IsNullOrEmpty(response.CancelReason) ? "no reason given" : response.CancelReason;
            var refused = reason.Contains("permission denied", StringComparison.Ordinal);
            throw new EtcdException(refused
                ? $"etcd at {_connection.Endpoints} denied the watch of '{_prefix}' to user '{_connection.Username}': {reason}"
                : $"etcd at {_connection.Endpoints} cancelled the watch of '{_prefix}': {reason}", null, isTransient: !refused);
        }

        _failures = 0;
        _backoff.Reset();
        if (response.Events.Count == 0)
        {
            // The created confirmation or a progress notification: everything up to the header's revision is seen.
            if (!response.Created)
            {
                _revision = Math.Max(_revision, response.Header.Revision);
            }

            return false;
        }

        foreach (var change in response.Events)
        {
            var key = change.Kv.Key.ToStringUtf8();
            if (change.Type == Mvccpb.Event.Types.EventType.Delete)
            {
                _entries.Remove(key);
            }
            else if (EtcdKeys.IsEntry(key, _prefix))
            {
                _entries[key] = change.Kv.Value.ToStringUtf8();
            }

            _revision = Math.Max(_revision, change.Kv.ModRevision);
        }

        return true;
    }

    private async Task ListAsync(CancellationToken cancellationToken)
    {
        var response = await _connection.CallAsync("list", _prefix,
            (deadline, ct) => _connection.Client.GetAsync(new RangeRequest { Key = _prefixBytes, RangeEnd = _rangeEnd }, deadline: deadline, cancellationToken: ct),
            cancellationToken).ConfigureAwait(false);
        _entries.Clear();
        foreach (var kv in response.Kvs)
        {
            var key = kv.Key.ToStringUtf8();
            if (EtcdKeys.IsEntry(key, _prefix))
            {
                _entries[key] = kv.Value.ToStringUtf8();
            }
        }

        _revision = response.Header.Revision;
        _listed = true;
    }

    private async Task<AsyncDuplexStreamingCall<WatchRequest, WatchResponse>> OpenAsync(CancellationToken cancellationToken)
    {
        var call = _connection.Client.GetConnection().WatchClient.Watch(EtcdConnection.WatchHeaders, cancellationToken: cancellationToken);
        try
        {
            var create = new WatchCreateRequest { Key = _prefixBytes, RangeEnd = _rangeEnd, StartRevision = _revision + 1, ProgressNotify = true };
            await call.RequestStream.WriteAsync(new WatchRequest { CreateRequest = create }, cancellationToken).ConfigureAwait(false);
            return call;
        }
        catch
        {
            call.Dispose();
            throw;
        }
    }

    private async Task ResumeLaterAsync(Exception error, CancellationToken cancellationToken)
    {
        CloseCall();
        _onFailure();
        _failures++;
        if (_failures > _resumeAttempts)
        {
            Log.GaveUp(_logger, _prefix, _failures, error);
            throw error as EtcdException
                ?? (error is RpcException rpc ? EtcdErrors.From(rpc, "watch", _prefix, _connection) : new EtcdException($"The watch of '{_prefix}' failed: {error.Message}", error, isTransient: true));
        }

        var pause = _backoff.Next();
        Log.Resuming(_logger, _prefix, _revision + 1, pause.TotalMilliseconds, error.Message);
        EtcdTelemetry.WatchResumes.Add(1);
        await Task.Delay(pause, _time, cancellationToken).ConfigureAwait(false);
    }

    private string[] Snapshot() => [.. _entries.Values];

    private void CloseCall()
    {
        _call?.Dispose();
        _call = null;
    }
}
