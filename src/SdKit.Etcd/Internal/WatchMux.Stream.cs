using System.Threading.Channels;
using Etcdserverpb;
using Grpc.Core;

namespace SdKit.Etcd;

/// <summary>The stream's loop: open, create every watcher, route responses, and after a break resume them all.</summary>
internal sealed partial class WatchMux
{
    /// <summary>Opens the stream while watches are attached; after a break, waits out the backoff and opens it again.</summary>
    private async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                Task? idle = null;
                lock (_gate)
                {
                    if (_watches.Count == 0)
                    {
                        _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                        idle = _idle.Task;
                    }
                }

                if (idle is not null)
                {
                    await idle.WaitAsync(stopping).ConfigureAwait(false);
                    continue;
                }

                Exception? failure;
                try
                {
                    failure = await RunStreamAsync(stopping).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // Even a call that could not be started is a break to resume from: the loop must live on.
                catch (Exception ex) when (!stopping.IsCancellationRequested)
#pragma warning restore CA1031
                {
                    failure = ex;
                }

                if (failure is not null && !stopping.IsCancellationRequested)
                {
                    await ResumeLaterAsync(failure, stopping).ConfigureAwait(false);
                }
            }
        }
#pragma warning disable CA1031 // Disposed: whatever the stopping stream threw, DisposeAsync tells the watches still attached.
        catch (Exception) when (stopping.IsCancellationRequested)
#pragma warning restore CA1031
        {
        }
    }

    /// <summary>Runs one stream until it breaks (returns the failure) or is closed because no watch is left (returns null).</summary>
    private async Task<Exception?> RunStreamAsync(CancellationToken stopping)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var call = _connection.Client.GetConnection().WatchClient.Watch(EtcdConnection.WatchHeaders, cancellationToken: stop.Token);
        var stream = new OpenStream(call, stop);
        var attached = 0;
        lock (_gate)
        {
            _stream = stream;
            foreach (var watch in _watches.Values)
            {
                stream.Send(CreateRequest(watch));
            }

            attached = _watches.Count;
            stream.IsClosing = attached == 0;
        }

        Interlocked.Increment(ref _streamsOpened);
        EtcdTelemetry.WatchStreams.Add(1);
        Log.StreamOpened(_logger, _connection.Endpoints, attached);
        var writing = WriteAsync(stream);
        Exception? failure;
        try
        {
            if (attached == 0)
            {
                await stop.CancelAsync().ConfigureAwait(false);
            }

            await ReadAsync(stream, stop.Token).ConfigureAwait(false);
            failure = null;
        }
#pragma warning disable CA1031 // Whatever broke the stream, every watch on it is resumed (or given the failure): the loop must live on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            failure = ex;
        }
        finally
        {
            lock (_gate)
            {
                _stream = null;
                foreach (var watch in _watches.Values)
                {
                    watch.Fragments = null;
                }
            }

            stream.Outbox.Writer.TryComplete();
            await stop.CancelAsync().ConfigureAwait(false);
        }

        var writeFailure = await writing.ConfigureAwait(false);
        call.Dispose();
        EtcdTelemetry.WatchStreams.Add(-1);
        bool closed;
        lock (_gate)
        {
            closed = stream.IsClosing;
        }

        if (stopping.IsCancellationRequested || closed)
        {
            Log.StreamClosed(_logger, _connection.Endpoints);
            return null;
        }

        // A write that failed cancelled the call, so the reader only saw the cancellation: the write's failure is the reason.
        return failure is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled } && writeFailure is not null ? writeFailure : failure;
    }

    /// <summary>Writes the creates and cancels in order (a gRPC stream takes one write at a time); returns why writing failed, if it did.</summary>
    private static async Task<Exception?> WriteAsync(OpenStream stream)
    {
        var outbox = stream.Outbox.Reader;
        try
        {
            while (await outbox.WaitToReadAsync(stream.Stop.Token).ConfigureAwait(false))
            {
                while (outbox.TryRead(out var request))
                {
                    await stream.Call.RequestStream.WriteAsync(request, stream.Stop.Token).ConfigureAwait(false);
                }
            }

            return null;
        }
        catch (OperationCanceledException) when (stream.Stop.IsCancellationRequested)
        {
            return null;
        }
#pragma warning disable CA1031 // The failure is handed to the loop, which resumes every watch.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await stream.Stop.CancelAsync().ConfigureAwait(false);
            return ex;
        }
    }

    /// <summary>Routes responses until the stream ends; an end etcd chose is a failure too (the watches were not done).</summary>
    private async Task ReadAsync(OpenStream stream, CancellationToken cancellationToken)
    {
        var responses = stream.Call.ResponseStream;
        while (await responses.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            Route(stream, responses.Current);
        }

        throw new EtcdException($"etcd at {_connection.Endpoints} ended the watch stream.", null, isTransient: true);
    }

    /// <summary>
    /// Hands one response to its watch. Confirmations and progress notifications are handled here (the watch need not
    /// wake for them); events, a compaction and a cancellation go to the watch, in the order they came.
    /// </summary>
    private void Route(OpenStream stream, WatchResponse response)
    {
        _backoff.Reset();
        PrefixWatch? watch;
        lock (_gate)
        {
            _watches.TryGetValue(response.WatchId, out watch);
        }

        if (watch is null)
        {
            // A watch that left meanwhile (its cancel is on the way), or the confirmation of that cancel.
            return;
        }

        if (response.Fragment)
        {
            (watch.Fragments ??= []).AddRange(response.Events);
            return;
        }

        if (watch.Fragments is { } earlier)
        {
            watch.Fragments = null;
            earlier.AddRange(response.Events);
            response.Events.Clear();
            response.Events.AddRange(earlier);
        }

        if (response.CompactRevision > 0 || response.Canceled)
        {
            lock (_gate)
            {
                if (!_watches.Remove(response.WatchId))
                {
                    return;
                }

                watch.WatchId = 0;

                // etcd has stopped a compacted watcher but keeps its id until it is cancelled.
                if (response.CompactRevision > 0)
                {
                    stream.Send(CancelRequest(response.WatchId));
                }
            }

            watch.Deliver(response);
            return;
        }

        if (response.Created)
        {
            lock (_gate)
            {
                watch.Failures = 0;
            }

            return;
        }

        // Events, or a progress notification: everything up to the header's revision is seen.
        var seen = response.Header?.Revision ?? 0;
        foreach (var change in response.Events)
        {
            seen = Math.Max(seen, change.Kv.ModRevision);
        }

        lock (_gate)
        {
            watch.ResumeRevision = Math.Max(watch.ResumeRevision, seen);
        }

        if (response.Events.Count > 0)
        {
            watch.Deliver(response);
        }
    }

    /// <summary>
    /// After a break: every watch counts a failure; those past <see cref="EtcdDiscoveryOptions.WatchResumeAttempts"/> get
    /// it and leave, the others are created again on the next stream, after the backoff.
    /// </summary>
    private async Task ResumeLaterAsync(Exception error, CancellationToken stopping)
    {
        _onFailure();
        List<PrefixWatch>? gaveUp = null;
        List<PrefixWatch> resuming = [];
        lock (_gate)
        {
            foreach (var watch in _watches.Values)
            {
                watch.Failures++;
                if (watch.Failures > _resumeAttempts)
                {
                    (gaveUp ??= []).Add(watch);
                }
                else
                {
                    resuming.Add(watch);
                }
            }

            foreach (var watch in gaveUp ?? [])
            {
                _watches.Remove(watch.WatchId);
                watch.WatchId = 0;
            }
        }

        foreach (var watch in gaveUp ?? [])
        {
            Log.GaveUp(_logger, watch.Prefix, watch.Failures, error);
            watch.Deliver(Failure(error, watch));
        }

        var pause = _backoff.Next();
        if (resuming.Count > 0)
        {
            Log.StreamResuming(_logger, _connection.Endpoints, resuming.Count, pause.TotalMilliseconds, error.Message);
            foreach (var watch in resuming)
            {
                Log.Resuming(_logger, watch.Prefix, watch.ResumeRevision + 1);
            }

            EtcdTelemetry.WatchResumes.Add(resuming.Count);
        }

        await Task.Delay(pause, _time, stopping).ConfigureAwait(false);
    }

    /// <summary>The failure one watch gets: a new exception each (one thrown on many threads would share a stack trace).</summary>
    private EtcdException Failure(Exception error, PrefixWatch watch) => error switch
    {
        RpcException rpc => EtcdErrors.From(rpc, "watch", watch.Prefix, _connection),
        EtcdException etcd => new EtcdException($"The watch of '{watch.Prefix}' failed {watch.Failures} times in a row: {etcd.Message}", etcd, etcd.IsTransient),
        _ => new EtcdException($"The watch of '{watch.Prefix}' failed {watch.Failures} times in a row: {error.Message}", error, isTransient: true),
    };

    /// <summary>One open stream: the gRPC call, the requests waiting to be written, and what stops it.</summary>
    private sealed class OpenStream(AsyncDuplexStreamingCall<WatchRequest, WatchResponse> call, CancellationTokenSource stop)
    {
        public AsyncDuplexStreamingCall<WatchRequest, WatchResponse> Call { get; } = call;

        public Channel<WatchRequest> Outbox { get; } = Channel.CreateUnbounded<WatchRequest>(new UnboundedChannelOptions { SingleReader = true });

        public CancellationTokenSource Stop { get; } = stop;

        /// <summary>Gets or sets a value indicating whether the stream is being closed because no watch is left. Guarded by the lock.</summary>
        public bool IsClosing { get; set; }

        public void Send(WatchRequest request) => Outbox.Writer.TryWrite(request);
    }
}
