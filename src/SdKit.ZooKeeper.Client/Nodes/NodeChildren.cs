namespace SdKit.ZooKeeper.Client;

/// <summary>The children of a node (bare names, in no guaranteed order) and the parent's <see cref="NodeStat"/>.</summary>
/// <param name="Children">The names of the children, without the parent path.</param>
/// <param name="Stat">The parent's metadata.</param>
public sealed record NodeChildren(IReadOnlyList<string> Children, NodeStat Stat);
