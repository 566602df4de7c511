namespace SdKit.ZooKeeper.Discovery;

/// <summary>How <see cref="ZooKeeperDiscoveryClient.WatchAsync"/> learns about changes under a service path.</summary>
public enum ZooKeeperWatchMode
{
    /// <summary>
    /// One persistent recursive watch (ZooKeeper 3.6+): each new instance node arrives as its own creation event and
    /// costs one read of its data, a removal costs no read, and changed instance data is read again. Against a server
    /// before 3.6 the client notices on the first watch, logs it and uses <see cref="Children"/> from then on.
    /// </summary>
    /// <remarks>
    /// The watch covers the whole subtree, so nodes below the instance nodes (which SdKit's layouts never create)
    /// would cost traffic, though they are ignored.
    /// </remarks>
    PersistentRecursive,

    /// <summary>
    /// A one-shot children watch, re-armed with a full listing after every change (what go-kit does): each change
    /// costs a listing plus a read of each new node's data. Works on every server version. Each node read also gets a
    /// one-shot data watch (one SetWatches request per read batch), so updates in place are read again and seen.
    /// </summary>
    /// <remarks>
    /// The data watches cost the server one data-watch entry per instance node and watching session, held until the
    /// node changes or the session ends; the recursive mode needs one watch per service path.
    /// </remarks>
    Children,
}
