namespace SdKit.ZooKeeper.Client;

/// <summary>The metadata ZooKeeper keeps for a node (the jute <c>Stat</c>, 68 bytes on the wire).</summary>
/// <param name="CreatedZxid">The zxid of the change that created the node (czxid).</param>
/// <param name="ModifiedZxid">The zxid of the last data change (mzxid).</param>
/// <param name="CreatedTime">When the node was created, in milliseconds since the Unix epoch (ctime).</param>
/// <param name="ModifiedTime">When the data last changed, in milliseconds since the Unix epoch (mtime).</param>
/// <param name="Version">The number of data changes (version).</param>
/// <param name="ChildVersion">The number of child changes (cversion; not the sequence counter).</param>
/// <param name="AclVersion">The number of ACL changes (aversion).</param>
/// <param name="EphemeralOwner">The owning session id of an ephemeral node; 0 otherwise (also for containers and TTL nodes).</param>
/// <param name="DataLength">The length of the data.</param>
/// <param name="ChildCount">The number of children.</param>
/// <param name="ChildrenZxid">The zxid of the last child change (pzxid).</param>
public readonly record struct NodeStat(
    long CreatedZxid,
    long ModifiedZxid,
    long CreatedTime,
    long ModifiedTime,
    int Version,
    int ChildVersion,
    int AclVersion,
    long EphemeralOwner,
    int DataLength,
    int ChildCount,
    long ChildrenZxid)
{
    /// <summary>Gets a value indicating whether the node is an ephemeral node owned by some session.</summary>
    public bool IsEphemeral => EphemeralOwner != 0;
}
