namespace SdKit.ZooKeeper.Client;

/// <summary>One read of a <see cref="ZooKeeperClient.MultiReadAsync"/>: getData or getChildren, answered in one round trip with the others.</summary>
/// <param name="Path">The node to read.</param>
public abstract record ReadOp(string Path)
{
    /// <summary>Creates a read of a node's data (without a watch: the server ignores watches inside a multiRead).</summary>
    /// <param name="path">The node.</param>
    /// <returns>The operation.</returns>
    public static ReadOp GetData(string path) => new GetDataReadOp(path);

    /// <summary>
    /// Creates a read of a node's data as UTF-8 text (without a watch), answered with a
    /// <see cref="GetDataTextOpResult"/>: the same getData on the wire, but the text is decoded from the reply frame
    /// directly, one string per node instead of a byte array and then a string (what a reader of many text nodes,
    /// such as a service's instance nodes, would do next anyway).
    /// </summary>
    /// <param name="path">The node.</param>
    /// <returns>The operation.</returns>
    public static ReadOp GetDataAsText(string path) => new GetDataTextReadOp(path);

    /// <summary>Creates a listing of a node's children (without a watch).</summary>
    /// <param name="path">The node.</param>
    /// <returns>The operation.</returns>
    public static ReadOp GetChildren(string path) => new GetChildrenReadOp(path);
}

/// <summary>A getData inside a multiRead.</summary>
/// <param name="Path">The node.</param>
public sealed record GetDataReadOp(string Path) : ReadOp(Path);

/// <summary>A getData inside a multiRead whose data is wanted as UTF-8 text.</summary>
/// <param name="Path">The node.</param>
public sealed record GetDataTextReadOp(string Path) : ReadOp(Path);

/// <summary>A getChildren inside a multiRead.</summary>
/// <param name="Path">The node.</param>
public sealed record GetChildrenReadOp(string Path) : ReadOp(Path);
