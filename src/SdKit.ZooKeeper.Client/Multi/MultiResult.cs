namespace SdKit.ZooKeeper.Client;

/// <summary>The outcome of one operation of a multi, in the order of the operations.</summary>
public abstract record MultiResult;

/// <summary>A node was created.</summary>
/// <param name="Path">The path created (with any sequence suffix).</param>
/// <param name="Stat">The new node's metadata; <see langword="null"/> from servers before 3.8.2, which answer a multi create without it.</param>
public sealed record CreateOpResult(string Path, NodeStat? Stat) : MultiResult;

/// <summary>A node was deleted.</summary>
public sealed record DeleteOpResult : MultiResult;

/// <summary>A node's data was set.</summary>
/// <param name="Stat">The node's new metadata.</param>
public sealed record SetDataOpResult(NodeStat Stat) : MultiResult;

/// <summary>A version check passed.</summary>
public sealed record CheckOpResult : MultiResult;

/// <summary>A failed read of a multiRead (its own code; the other reads are unaffected), or an operation of a failed multi: <see cref="ZooKeeperErrorCode.Ok"/> for ops before the failing one (rolled back), its code for the failing one, RuntimeInconsistency after it.</summary>
/// <param name="Code">The error code.</param>
public sealed record ErrorOpResult(ZooKeeperErrorCode Code) : MultiResult;

/// <summary>The data of a node, read by a multiRead.</summary>
/// <param name="Node">The data and stat.</param>
public sealed record GetDataOpResult(NodeData Node) : MultiResult;

/// <summary>
/// The data of a node read by <see cref="ReadOp.GetDataAsText"/>: decoded as UTF-8 straight out of the reply frame,
/// so the bytes are never copied into an array of their own (invalid UTF-8 becomes U+FFFD, as with
/// <see cref="System.Text.Encoding.UTF8"/>).
/// </summary>
/// <param name="Text">The data as text; empty for a node without data.</param>
/// <param name="Stat">The node's metadata.</param>
public sealed record GetDataTextOpResult(string Text, NodeStat Stat) : MultiResult;

/// <summary>The children of a node, listed by a multiRead (names only: a multiRead answers getChildren without a stat).</summary>
/// <param name="Children">The child names.</param>
public sealed record GetChildrenOpResult(IReadOnlyList<string> Children) : MultiResult;
