namespace SdKit.ZooKeeper.Client;

/// <summary>The data of a node and its <see cref="NodeStat"/>.</summary>
/// <param name="Data">The data; empty when the node has none.</param>
/// <param name="Stat">The node's metadata.</param>
public sealed record NodeData(ReadOnlyMemory<byte> Data, NodeStat Stat);
