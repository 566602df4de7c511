namespace SdKit.ZooKeeper.Client;

/// <summary>The outcome of a create: the actual path (with any sequence suffix) and the new node's <see cref="NodeStat"/>.</summary>
/// <param name="Path">The path created, for example <c>/services/hello/member-0000000007</c>.</param>
/// <param name="Stat">The new node's metadata.</param>
public sealed record CreateResult(string Path, NodeStat Stat);
