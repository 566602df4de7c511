namespace SdKit.Cli.Dashboard.Browsing;

/// <summary>
/// What the registry itself says about one entry, beyond the instance string the discovery contract gives: the node
/// or key, who owns it (a ZooKeeper session, an etcd lease) and, where the registry records it, when it was created.
/// </summary>
/// <param name="Key">The node path (ZooKeeper) or key (etcd) of the entry.</param>
/// <param name="Instance">The instance string: the node's data (its name when empty) or the key's value.</param>
/// <param name="Owner">The owner as operators read it: <c>session 0x…</c>, <c>lease 0x…</c>, or <c>persistent</c>.</param>
/// <param name="CreatedMs">When the registry created the entry (ZooKeeper's ctime), in Unix milliseconds; null when it keeps no time (etcd).</param>
/// <param name="SeenMs">When the dashboard first saw the entry, in Unix milliseconds.</param>
internal sealed record InstanceDetail(string Key, string Instance, string Owner, long? CreatedMs, long SeenMs);
