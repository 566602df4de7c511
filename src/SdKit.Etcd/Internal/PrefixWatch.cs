using Etcdserverpb;
using Microsoft.Extensions.Logging;

namespace SdKit.Etcd;

/// <summary>
/// One watch of a service path: lists the prefix with its revision, then follows it as a watcher on the client's one
/// watch stream (<see cref="WatchMux"/>) from the next revision, keeping a map of the entries and handing out the full
/// set of values after every change. The stream resumes the watcher from its last revision when it breaks; a compacted
/// revision makes this watch list again; only a failure that keeps repeating, or a refusal, is thrown to the caller.
/// </summary>
/// <remarks>
/// The map is touched only by the caller of <see cref="NextAsync"/>: the stream hands responses over through
/// <see cref="Deliver"/>, one at a time and in order, so every response that changes the set yields one snapshot, as
/// when each watch had its own stream.
/// </remarks>
internal sealed partial class PrefixWatch : IAsyncDisposable
{
    private readonly WatchMux _mux;
    private readonly ILogger _logger;
    private readonly Dictionary<string, string> _entries = new(StringComparer.Ordinal);
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
                _entries.Remove(key);
            }
            else if (EtcdKeys.IsEntry(key, Prefix))
            {
                _entries[key] = change.Kv.Value.ToStringUtf8();
            }
        }

        return true;
    }

    /// <summary>Lists the prefix into the map and keeps the revision of the listing, to watch from the next one.</summary>
    private async Task ListAsync(CancellationToken cancellationToken)
    {
        var (kvs, revision) = await _mux.Lister.ListAsync(Prefix, cancellationToken).ConfigureAwait(false);
        _entries.Clear();
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

    private string[] Snapshot() => [.. _entries.Values];
}
