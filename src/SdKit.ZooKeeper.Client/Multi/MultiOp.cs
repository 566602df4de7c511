namespace SdKit.ZooKeeper.Client;

/// <summary>One operation of an atomic <see cref="ZooKeeperClient.MultiAsync"/>: create, delete, setData or a version check.</summary>
/// <param name="Path">The node the operation applies to.</param>
public abstract record MultiOp(string Path)
{
    /// <summary>Creates a create operation.</summary>
    /// <param name="path">The node to create.</param>
    /// <param name="data">The data of the node.</param>
    /// <param name="mode">How to create it.</param>
    /// <param name="acl">The ACL; <see cref="ZooKeeperAcl.OpenUnsafe"/> when <see langword="null"/>.</param>
    /// <param name="ttl">The TTL, for the TTL modes only.</param>
    /// <returns>The operation.</returns>
    public static MultiOp Create(string path, ReadOnlyMemory<byte> data, CreateMode mode = CreateMode.Persistent, IReadOnlyList<ZooKeeperAcl>? acl = null, TimeSpan? ttl = null)
        => new CreateOp(path, data, mode, acl ?? ZooKeeperAcl.OpenUnsafe, ttl);

    /// <summary>Creates a delete operation.</summary>
    /// <param name="path">The node to delete.</param>
    /// <param name="version">The expected version, or -1 for any.</param>
    /// <returns>The operation.</returns>
    public static MultiOp Delete(string path, int version = -1) => new DeleteOp(path, version);

    /// <summary>Creates a setData operation.</summary>
    /// <param name="path">The node to change.</param>
    /// <param name="data">The new data.</param>
    /// <param name="version">The expected version, or -1 for any.</param>
    /// <returns>The operation.</returns>
    public static MultiOp SetData(string path, ReadOnlyMemory<byte> data, int version = -1) => new SetDataOp(path, data, version);

    /// <summary>Creates a check operation: the multi fails unless the node has <paramref name="version"/>.</summary>
    /// <param name="path">The node to check.</param>
    /// <param name="version">The expected version, or -1 for "exists".</param>
    /// <returns>The operation.</returns>
    public static MultiOp Check(string path, int version) => new CheckOp(path, version);
}

/// <summary>A create inside a multi.</summary>
/// <param name="Path">The node to create.</param>
/// <param name="Data">The data.</param>
/// <param name="Mode">How to create it.</param>
/// <param name="Acl">The ACL.</param>
/// <param name="Ttl">The TTL, for the TTL modes only.</param>
public sealed record CreateOp(string Path, ReadOnlyMemory<byte> Data, CreateMode Mode, IReadOnlyList<ZooKeeperAcl> Acl, TimeSpan? Ttl) : MultiOp(Path);

/// <summary>A delete inside a multi.</summary>
/// <param name="Path">The node to delete.</param>
/// <param name="Version">The expected version, or -1.</param>
public sealed record DeleteOp(string Path, int Version) : MultiOp(Path);

/// <summary>A setData inside a multi.</summary>
/// <param name="Path">The node to change.</param>
/// <param name="Data">The new data.</param>
/// <param name="Version">The expected version, or -1.</param>
public sealed record SetDataOp(string Path, ReadOnlyMemory<byte> Data, int Version) : MultiOp(Path);

/// <summary>A version check inside a multi.</summary>
/// <param name="Path">The node to check.</param>
/// <param name="Version">The expected version, or -1.</param>
public sealed record CheckOp(string Path, int Version) : MultiOp(Path);
