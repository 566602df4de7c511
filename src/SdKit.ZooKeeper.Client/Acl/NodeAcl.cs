namespace SdKit.ZooKeeper.Client;

/// <summary>The ACL of a node and its <see cref="NodeStat"/> (whose <see cref="NodeStat.AclVersion"/> guards setACL).</summary>
/// <param name="Acl">The ACL entries.</param>
/// <param name="Stat">The node's metadata.</param>
public sealed record NodeAcl(IReadOnlyList<ZooKeeperAcl> Acl, NodeStat Stat);
