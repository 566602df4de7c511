using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace SdKit.ZooKeeper.Discovery;

/// <summary>
/// The watch of one service path through one persistent recursive watch: list and read everything once, then apply
/// each event as it comes (a created child is read, a deleted one forgotten, a changed one read again) and yield the
/// full set. No listing per change and no watch to re-arm, so a registration costs each watcher one event and one read.
/// </summary>
/// <remarks>
/// ZooKeeper re-arms the watch after a lost connection without replaying what changed meanwhile, so after every
/// reconnect (the watch's <see cref="WatchedEventType.None"/> event) the path is listed and read again from scratch.
/// A read that loses the connection waits for that event instead of failing the watch. Events queued before a
/// listing is sent are already reflected in it; applying them again is harmless (reads are idempotent).
/// </remarks>
internal sealed class RecursiveWatchLoop
{
    private readonly InstanceDataReader _reader;
    private readonly string _servicePath;
    private readonly string _childPrefix;
    private readonly ILogger _logger;
    private readonly InstanceNodes _instances;
    private readonly HashSet<string> _toRead = new(StringComparer.Ordinal);
    private bool _relist = true;

    public RecursiveWatchLoop(InstanceDataReader reader, string servicePath, ILogger logger)
    {
        _reader = reader;
        _servicePath = servicePath;
        _childPrefix = servicePath + "/";
        _logger = logger;
        _instances = new InstanceNodes(reader, servicePath);
    }

    /// <summary>Yields the full set at once and after every change that <paramref name="watch"/> reports.</summary>
    /// <exception cref="SessionExpiredException">The session expired (the watch is gone with it).</exception>
    /// <exception cref="ClientClosedException">The client was closed, or someone removed the watch.</exception>
    public async IAsyncEnumerable<IReadOnlyList<string>> RunAsync(PersistentWatch watch, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var events = watch.Events;
        var changed = true;
        while (true)
        {
            while (events.TryRead(out var watchedEvent))
            {
                changed |= Apply(watchedEvent);
            }

            if (changed && await CatchUpAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return _instances.Snapshot();
            }

            // Retry a failed catch-up at once if the session is already back; otherwise its None event wakes us.
            changed = _relist && _reader.Client.State is ZooKeeperSessionState.Connected or ZooKeeperSessionState.ConnectedReadOnly;
            if (!changed && !await events.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new ClientClosedException(_servicePath, $"The persistent watch of '{_servicePath}' was removed.");
            }
        }
    }

    /// <summary>Records what an event asks for; returns whether it concerns the instances.</summary>
    private bool Apply(WatchedEvent watchedEvent)
    {
        switch (watchedEvent.Type)
        {
            case WatchedEventType.None:
                _relist = true;
                return true;
            case WatchedEventType.NodeCreated or WatchedEventType.NodeDataChanged when ChildName(watchedEvent.Path) is { } name:
                _toRead.Add(name);
                return true;
            case WatchedEventType.NodeDeleted when ChildName(watchedEvent.Path) is { } name:
                _toRead.Remove(name);
                _instances.Forget(name);
                return true;
            case WatchedEventType.NodeDeleted when watchedEvent.Path == _servicePath:
                _toRead.Clear();
                _instances.Clear();
                return true;
            default:
                // The service node's own data, or nodes below the instance nodes.
                return false;
        }
    }

    /// <summary>Lists and reads everything (after a reconnect) or reads what events named; false when the connection was lost meanwhile.</summary>
    private async Task<bool> CatchUpAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_relist)
            {
                _toRead.Clear();
                _instances.Clear();
                await _instances.UpdateAsync(await ListAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                _relist = false;
            }
            else if (_toRead.Count > 0)
            {
                string[] names = [.. _toRead];
                _toRead.Clear();
                await _instances.ReadAsync(names, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        catch (ConnectionLossException ex)
        {
            // The watch outlives the connection; everything is read again once it is back.
            _relist = true;
            ZooKeeperDiscoveryClient.Log.WatchResync(_logger, _servicePath, ex.Message);
            return false;
        }
    }

    private async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await _reader.Client.GetChildrenAsync(_servicePath, cancellationToken).ConfigureAwait(false)).Children;
        }
        catch (NoNodeException)
        {
            // Not there (yet): an empty set, filled in by the creation events that the watch already covers.
            return [];
        }
    }

    private string? ChildName(string path)
        => path.Length > _childPrefix.Length && path.StartsWith(_childPrefix, StringComparison.Ordinal) && path.IndexOf('/', _childPrefix.Length) < 0
            ? path[_childPrefix.Length..]
            : null;
}
