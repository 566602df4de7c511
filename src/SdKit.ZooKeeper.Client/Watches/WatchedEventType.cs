namespace SdKit.ZooKeeper.Client;

/// <summary>What happened to a watched node (Watcher.Event.EventType), with the wire values.</summary>
public enum WatchedEventType
{
    /// <summary>
    /// No node event. On a <see cref="PersistentWatch"/> it means the connection was re-established: changes made
    /// while disconnected were not reported, so whatever the watch tracks must be read again.
    /// </summary>
    None = -1,

    /// <summary>The node was created.</summary>
    NodeCreated = 1,

    /// <summary>The node was deleted.</summary>
    NodeDeleted = 2,

    /// <summary>The node's data changed.</summary>
    NodeDataChanged = 3,

    /// <summary>The node's list of children changed.</summary>
    NodeChildrenChanged = 4,

    /// <summary>The data watch was removed by <see cref="ZooKeeperClient.RemoveWatchesAsync"/> (client-generated).</summary>
    DataWatchRemoved = 5,

    /// <summary>The child watch was removed by <see cref="ZooKeeperClient.RemoveWatchesAsync"/> (client-generated).</summary>
    ChildWatchRemoved = 6,

    /// <summary>The persistent watch was removed (client-generated).</summary>
    PersistentWatchRemoved = 7,
}
