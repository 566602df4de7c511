using SdKit.ZooKeeper.Client.Protocol;
using SdKit.ZooKeeper.Client.Protocol.Requests;

namespace SdKit.ZooKeeper.Client;

/// <summary>Reads that leave one-shot watches, persistent watches, and watch removal.</summary>
public sealed partial class ZooKeeperClient
{
    // The Java client's limit for one SetWatches request: well under jute.maxbuffer.
    private const int SetWatchesBatchChars = 128 * 1024;

    /// <summary>
    /// Gets a node's stat (or <see langword="null"/>) and watches it: the watch fires on NodeCreated, NodeDataChanged
    /// or NodeDeleted; a missing node is watched for its creation.
    /// </summary>
    /// <param name="path">The node.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The stat and the watch.</returns>
    public async Task<Watched<NodeStat?>> ExistsAndWatchAsync(string path, CancellationToken cancellationToken = default)
    {
        var serverPath = ServerPath(path);
        var watch = new WatchRequest(WatchKind.Exist, serverPath);
        var stat = await Submit(new ExistsOperation(path, serverPath, watch: true) { Watch = watch }, cancellationToken).ConfigureAwait(false);
        return new Watched<NodeStat?>(stat, watch.Event.Task);
    }

    /// <summary>Gets a node's data and watches it: the watch fires on NodeDataChanged or NodeDeleted.</summary>
    /// <param name="path">The node.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The data and the watch.</returns>
    /// <exception cref="NoNodeException">The node does not exist (no watch is left).</exception>
    public async Task<Watched<NodeData>> GetDataAndWatchAsync(string path, CancellationToken cancellationToken = default)
    {
        var serverPath = ServerPath(path);
        var watch = new WatchRequest(WatchKind.Data, serverPath);
        var data = await Submit(new GetDataOperation(path, serverPath, watch: true) { Watch = watch }, cancellationToken).ConfigureAwait(false);
        return new Watched<NodeData>(data, watch.Event.Task);
    }

    /// <summary>Lists a node's children and watches them: the watch fires on NodeChildrenChanged or NodeDeleted.</summary>
    /// <param name="path">The node.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The children and the watch.</returns>
    /// <exception cref="NoNodeException">The node does not exist (no watch is left).</exception>
    public async Task<Watched<NodeChildren>> GetChildrenAndWatchAsync(string path, CancellationToken cancellationToken = default)
    {
        var serverPath = ServerPath(path);
        var watch = new WatchRequest(WatchKind.Child, serverPath);
        var children = await Submit(new GetChildrenOperation(path, serverPath, watch: true) { Watch = watch }, cancellationToken).ConfigureAwait(false);
        return new Watched<NodeChildren>(children, watch.Event.Task);
    }

    /// <summary>
    /// Leaves a one-shot data watch on each of <paramref name="paths"/>, as if each node had been read with
    /// <see cref="GetDataAndWatchAsync"/> when the ensemble was at <paramref name="relativeZxid"/>, in one request per
    /// 128 KiB of paths (SetWatches, the request a client re-arms its watches with after a reconnect) instead of one
    /// read per node. Pair it with a <see cref="MultiReadAsync"/> of the same nodes, whose getData ops cannot leave
    /// watches: pass the highest <see cref="NodeStat.ModifiedZxid"/> that the read returned (or any zxid at or after
    /// it, and not after the read), and no change made after the read is missed.
    /// </summary>
    /// <remarks>
    /// The server answers a node whose data changed after <paramref name="relativeZxid"/> with NodeDataChanged at
    /// once, and a node that no longer exists with NodeDeleted, both before this call returns; any other node keeps a
    /// watch that fires on its next data change or deletion. Each watch costs the server one entry in its data-watch
    /// table until it fires or the session ends, like any getData watch.
    /// </remarks>
    /// <param name="paths">The nodes to watch.</param>
    /// <param name="relativeZxid">The zxid the caller's copy of the nodes' data is current at.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>One watch per path, in order: it completes like <see cref="Watched{T}.Changed"/>.</returns>
    /// <exception cref="ConnectionLossException">The connection was lost before the server confirmed the watches; none of them is left.</exception>
    public async Task<IReadOnlyList<Task<WatchedEvent>>> AddDataWatchesAsync(IReadOnlyList<string> paths, long relativeZxid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var watches = new WatchRequest[paths.Count];
        for (var i = 0; i < watches.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(paths[i], nameof(paths));
            watches[i] = new WatchRequest(WatchKind.Data, ServerPath(paths[i], paramName: nameof(paths)));
        }

        // Registered before the request, so that the catch-up events the server sends ahead of its reply find them.
        _session.Watches.Register(watches);
        try
        {
            var requests = new List<Task<bool>>();
            var batch = new WatchSet();
            var chars = 0;
            foreach (var watch in watches)
            {
                if (chars + watch.ServerPath.Length > SetWatchesBatchChars && !batch.IsEmpty)
                {
                    requests.Add(Submit(new SetWatchesOperation(relativeZxid, batch), cancellationToken));
                    batch = new WatchSet();
                    chars = 0;
                }

                batch.Data.Add(watch.ServerPath);
                chars += watch.ServerPath.Length;
            }

            if (!batch.IsEmpty)
            {
                requests.Add(Submit(new SetWatchesOperation(relativeZxid, batch), cancellationToken));
            }

            await Task.WhenAll(requests).ConfigureAwait(false);
        }
        catch
        {
            _session.Watches.Unregister(watches);
            throw;
        }

        var changed = new Task<WatchedEvent>[watches.Length];
        for (var i = 0; i < watches.Length; i++)
        {
            changed[i] = watches[i].Event.Task;
        }

        return changed;
    }

    /// <summary>
    /// Adds a persistent watch (ZooKeeper 3.6+): it stays until disposed and reports every matching event in order.
    /// <see cref="AddWatchMode.PersistentRecursive"/> covers the path and all its descendants.
    /// </summary>
    /// <param name="path">The node (it need not exist).</param>
    /// <param name="mode">Persistent or persistent-recursive.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The watch; read its <see cref="PersistentWatch.Events"/>, dispose it to remove it.</returns>
    public async Task<PersistentWatch> AddWatchAsync(string path, AddWatchMode mode, CancellationToken cancellationToken = default)
    {
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown watch mode.");
        }

        var serverPath = ServerPath(path);
        var watch = new PersistentWatch(path, serverPath, mode, RemovePersistentWatchAsync);

        // Registered before the request so no event that follows the reply can be missed.
        _session.Watches.AddPersistent(watch);
        try
        {
            await Submit(new AddWatchOperation(path, serverPath, mode), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _session.Watches.RemovePersistent(watch);
            throw;
        }

        return watch;
    }

    /// <summary>
    /// Removes this client's watches of <paramref name="type"/> on a node, on the server and locally. Removed one-shot
    /// watches complete with <see cref="WatchedEventType.DataWatchRemoved"/> or <see cref="WatchedEventType.ChildWatchRemoved"/>;
    /// persistent watches (with <see cref="WatcherType.Any"/>) end their event stream.
    /// </summary>
    /// <param name="path">The node.</param>
    /// <param name="type">Which watches to remove.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when the watches are removed.</returns>
    /// <exception cref="NoWatcherException">There was no such watch on the server.</exception>
    public async Task RemoveWatchesAsync(string path, WatcherType type, CancellationToken cancellationToken = default)
    {
        if (!Enum.IsDefined(type))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown watcher type.");
        }

        var serverPath = ServerPath(path);
        await Submit(new RemoveWatchesOperation(path, serverPath, type), cancellationToken).ConfigureAwait(false);
        _session.Watches.RemoveLocal(serverPath, type);
    }

    private async ValueTask RemovePersistentWatchAsync(PersistentWatch watch)
    {
        if (!_session.Watches.RemovePersistent(watch) || Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        try
        {
            await Submit(new RemoveWatchesOperation(watch.Path, watch.ServerPath, WatcherType.Any), CancellationToken.None).ConfigureAwait(false);
        }
        catch (ZooKeeperException)
        {
            // The watch is gone locally; the server forgets it with the connection or session, and stray events are dropped.
        }
    }
}
