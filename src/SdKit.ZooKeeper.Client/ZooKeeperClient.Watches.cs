using SdKit.ZooKeeper.Client.Protocol;
using SdKit.ZooKeeper.Client.Protocol.Requests;

namespace SdKit.ZooKeeper.Client;

/// <summary>Reads that leave one-shot watches, persistent watches, and watch removal.</summary>
public sealed partial class ZooKeeperClient
{
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
