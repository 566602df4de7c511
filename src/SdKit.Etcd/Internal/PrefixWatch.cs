using Etcdserverpb;
using Microsoft.Extensions.Logging;
using SdKit.Client;

namespace SdKit.Etcd;

/// <summary>
/// One watch of a service path: lists the prefix with its revision, then follows it as a watcher on the client's one
/// watch stream (<see cref="WatchMux"/>) from the next revision, keeping a map of the entries and handing out the full
/// set of values after every change. The stream resumes the watcher from its last revision when it breaks; a compacted
/// revision makes this watch list again; only a failure that keeps repeating, or a refusal, is thrown to the caller.
/// </summary>
/// <remarks>
/// The map is touched only by the caller of <see cref="NextAsync"/>: the stream hands responses over through
/// <see cref="Deliver"/>, one at a time and in order. A response that changes the set yields a snapshot; responses
/// that queued up while the caller was busy are applied together and yield one (a slow consumer skips to the latest
/// set instead of falling further behind).
/// </remarks>
internal sealed partial class PrefixWatch : IAsyncDisposable
{
    private readonly WatchMux _mux;
    private readonly ILogger _logger;
    private readonly Dictionary<string, string> _entries = new(StringComparer.Ordinal);

    // The values as of the last Snapshot() and what joined and left since: the next snapshot is made from the last one
    // and the change (a binary search per changed value and one copy), and it tells the Instancer and the Endpointer
    // what changed, so a change costs the size of the change, not a sort and a comparison of the whole set.
    private readonly List<string> _joined = [];
    private readonly List<string> _left = [];
    private InstanceSnapshot? _snapshot;
    private Queue<object>? _inbox;
    private TaskCompletionSource? _waiter;
    private bool _listed;
    private bool _attached;
    private long _listedRevision;

    public PrefixWatch(WatchMux mux, string servicePath, ILogger logger)
    {
        _mux = mux;
        Prefix = EtcdKeys.Prefix(servicePath);
        _logger = logger;
    }

    /// <summary>Gets the watched prefix (the service path plus <c>/</c>).</summary>
    public string Prefix { get; }

    /// <summary>Gets or sets the watch id on the stream, 0 while not attached. Guarded by the stream's lock.</summary>
    internal long WatchId { get; set; }

    /// <summary>Gets or sets the last revision handed over; the stream creates the watcher again from the next one. Guarded by the stream's lock.</summary>
    internal long ResumeRevision { get; set; }

    /// <summary>Gets or sets the stream failures in a row since this watcher was last confirmed. Guarded by the stream's lock.</summary>
    internal int Failures { get; set; }

    /// <summary>Gets or sets the events of a fragmented response received so far. Touched only by the stream's reader.</summary>
    internal List<Mvccpb.Event>? Fragments { get; set; }

    /// <summary>Returns the full set of values: at once on the first call, then after the next change.</summary>
    public async ValueTask<IReadOnlyList<string>> NextAsync(CancellationToken cancellationToken)
    {
        if (!_listed)
        {
            await ListAsync(cancellationToken).ConfigureAwait(false);
            _listed = true;
            return Snapshot();
        }

        if (!_attached)
        {
            // As when each watch opened its own stream: the watcher is created when the caller asks for the next change.
            _attached = true;
            _mux.Attach(this, _listedRevision);
        }

        while (true)
        {
            object item;
            TaskCompletionSource? wait = null;
            lock (_entries)
            {
                if (_inbox is { Count: > 0 } inbox)
                {
                    item = inbox.Dequeue();
                }
                else
                {
                    item = null!;
                    wait = _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }

            if (wait is not null)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using (cancellationToken.UnsafeRegister(static (waiter, token) => ((TaskCompletionSource)waiter!).TrySetCanceled(token), wait))
                {
                    await wait.Task.ConfigureAwait(false);
                }

                continue;
            }

            if (item is Exception failure)
            {
                throw failure;
            }

            if (await HandleAsync((WatchResponse)item, cancellationToken).ConfigureAwait(false))
            {
                // A consumer that fell behind skips to the latest set, as on ZooKeeper: the plain changes queued behind
                // this one are applied before the one snapshot (a compaction, a cancellation or a failure waits for
                // the next call, in order).
                while (TakeQueuedChange() is { } queued)
                {
                    await HandleAsync(queued, cancellationToken).ConfigureAwait(false);
                }

                return Snapshot();
            }
        }
    }

    /// <summary>Hands a response (with events, compacted or cancelled) or a failure to the caller of <see cref="NextAsync"/>.</summary>
    internal void Deliver(object item)
    {
        TaskCompletionSource? waiter;
        lock (_entries)
        {
            (_inbox ??= new Queue<object>(1)).Enqueue(item);
            waiter = _waiter;
            _waiter = null;
        }

        waiter?.TrySetResult();
    }

    /// <summary>Takes the next queued response when it only carries changes (no compaction, no cancellation, no failure).</summary>
    private WatchResponse? TakeQueuedChange()
    {
        lock (_entries)
        {
            if (_inbox is { Count: > 0 } inbox && inbox.Peek() is WatchResponse { CompactRevision: 0, Canceled: false } next)
            {
                inbox.Dequeue();
                return next;
            }

            return null;
        }
    }

    /// <summary>Leaves the stream: etcd is told to cancel the watcher.</summary>
    public ValueTask DisposeAsync()
    {
        _mux.Detach(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>Applies one response handed over by the stream; returns whether the set may have changed.</summary>
    private async Task<bool> HandleAsync(WatchResponse response, CancellationToken cancellationToken)
    {
        if (response.CompactRevision > 0)
        {
            // The revision we would resume from is gone: the events in between are lost, so read the whole set again.
            // The stream has already dropped the watcher; it is created again from the new listing's revision at the next call.
            Log.Compacted(_logger, Prefix, ResumeRevision, response.CompactRevision);
            EtcdTelemetry.WatchRelists.Add(1);
            await ListAsync(cancellationToken).ConfigureAwait(false);
            _attached = false;
            return true;
        }

        if (response.Canceled)
        {
            var connection = _mux.Connection;
            var reason = string.IsNullOrEmpty(response.CancelReason) ? "no reason given" : response.CancelReason;
            var refused = reason.Contains("permission denied", StringComparison.Ordinal);
            throw new EtcdException(refused
                ? $"etcd at {connection.Endpoints} denied the watch of '{Prefix}' to user '{connection.Username}': {reason}"
                : $"etcd at {connection.Endpoints} cancelled the watch of '{Prefix}': {reason}", null, isTransient: !refused);
        }

        foreach (var change in response.Events)
        {
            var key = change.Kv.Key.ToStringUtf8();
            if (change.Type == Mvccpb.Event.Types.EventType.Delete)
            {
                if (_entries.Remove(key, out var gone))
                {
                    _left.Add(gone);
                }
            }
            else if (EtcdKeys.IsEntry(key, Prefix))
            {
                var value = change.Kv.Value.ToStringUtf8();
                if (_entries.TryGetValue(key, out var previous))
                {
                    if (string.Equals(previous, value, StringComparison.Ordinal))
                    {
                        continue;
                    }

                    _left.Add(previous);
                }

                _entries[key] = value;
                _joined.Add(value);
            }
        }

        return true;
    }

    /// <summary>Lists the prefix into the map and keeps the revision of the listing, to watch from the next one.</summary>
    private async Task ListAsync(CancellationToken cancellationToken)
    {
        var (kvs, revision) = await _mux.Lister.ListAsync(Prefix, cancellationToken).ConfigureAwait(false);
        _entries.Clear();
        _snapshot = null;
        _joined.Clear();
        _left.Clear();
        foreach (var kv in kvs)
        {
            var key = kv.Key.ToStringUtf8();
            if (EtcdKeys.IsEntry(key, Prefix))
            {
                _entries[key] = kv.Value.ToStringUtf8();
            }
        }

        _listedRevision = revision;
    }

    private InstanceSnapshot Snapshot()
    {
        _snapshot = _snapshot is null ? InstanceSnapshot.Create(_entries.Values) : _snapshot.Apply(_joined, _left);
        _joined.Clear();
        _left.Clear();
        return _snapshot;
    }
}
