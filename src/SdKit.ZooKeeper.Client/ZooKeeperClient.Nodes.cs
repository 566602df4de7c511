using SdKit.ZooKeeper.Client.Protocol.Requests;

namespace SdKit.ZooKeeper.Client;

/// <summary>Node operations: create, delete, exists, getData, setData, getChildren.</summary>
public sealed partial class ZooKeeperClient
{
    private const long MaxTtlMs = (1L << 40) - 1;

    /// <summary>Creates a node.</summary>
    /// <param name="path">The node to create; for sequential modes the server appends a 10-digit suffix (the last segment may then be empty: <c>/queue/</c>).</param>
    /// <param name="data">The node's data (at most about 1 MiB).</param>
    /// <param name="mode">How to create it.</param>
    /// <param name="acl">The ACL; <see cref="ZooKeeperAcl.OpenUnsafe"/> when <see langword="null"/>.</param>
    /// <param name="ttl">The TTL, required for (and only for) <see cref="CreateMode.PersistentWithTtl"/> and <see cref="CreateMode.PersistentSequentialWithTtl"/>.</param>
    /// <param name="cancellationToken">Stops waiting for the reply (the request may still be applied).</param>
    /// <returns>The path created and the new node's <see cref="NodeStat"/>.</returns>
    /// <exception cref="ArgumentException">The path, data size, ACL or TTL is invalid.</exception>
    /// <exception cref="NodeExistsException">The node exists.</exception>
    /// <exception cref="NoNodeException">The parent does not exist.</exception>
    /// <exception cref="NoChildrenForEphemeralsException">The parent is ephemeral.</exception>
    /// <exception cref="NoAuthException">The parent's ACL does not grant CREATE.</exception>
    /// <exception cref="UnimplementedException">A TTL mode on a server without extended types.</exception>
    public Task<CreateResult> CreateAsync(string path, ReadOnlyMemory<byte> data, CreateMode mode = CreateMode.Persistent, IReadOnlyList<ZooKeeperAcl>? acl = null, TimeSpan? ttl = null, CancellationToken cancellationToken = default)
    {
        var request = BuildCreate(path, data, mode, acl, ttl);
        return Submit(new CreateOperation(path, request, _chroot), cancellationToken);
    }

    /// <summary>Deletes a node.</summary>
    /// <param name="path">The node to delete.</param>
    /// <param name="version">The expected version, or -1 for any.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when the node is deleted.</returns>
    /// <exception cref="NoNodeException">The node does not exist.</exception>
    /// <exception cref="BadVersionException">The version does not match.</exception>
    /// <exception cref="NotEmptyException">The node has children.</exception>
    public Task DeleteAsync(string path, int version = -1, CancellationToken cancellationToken = default)
    {
        var serverPath = ServerPath(path);
        CheckVersion(version);
        return Submit(new DeleteOperation(path, serverPath, version), cancellationToken);
    }

    /// <summary>Gets a node's <see cref="NodeStat"/>, or <see langword="null"/> when it does not exist.</summary>
    /// <param name="path">The node.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The stat, or <see langword="null"/>.</returns>
    public Task<NodeStat?> ExistsAsync(string path, CancellationToken cancellationToken = default)
        => Submit(new ExistsOperation(path, ServerPath(path), watch: false), cancellationToken);

    /// <summary>Gets a node's data and <see cref="NodeStat"/>.</summary>
    /// <param name="path">The node.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The data and stat.</returns>
    /// <exception cref="NoNodeException">The node does not exist.</exception>
    /// <exception cref="NoAuthException">The ACL does not grant READ.</exception>
    public Task<NodeData> GetDataAsync(string path, CancellationToken cancellationToken = default)
        => Submit(new GetDataOperation(path, ServerPath(path), watch: false), cancellationToken);

    /// <summary>Sets a node's data.</summary>
    /// <param name="path">The node.</param>
    /// <param name="data">The new data (at most about 1 MiB).</param>
    /// <param name="version">The expected version, or -1 for any.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The node's new stat.</returns>
    /// <exception cref="NoNodeException">The node does not exist.</exception>
    /// <exception cref="BadVersionException">The version does not match.</exception>
    public Task<NodeStat> SetDataAsync(string path, ReadOnlyMemory<byte> data, int version = -1, CancellationToken cancellationToken = default)
    {
        var serverPath = ServerPath(path);
        CheckVersion(version);
        CheckDataSize(path, data);
        return Submit(new SetDataOperation(path, serverPath, data, version), cancellationToken);
    }

    /// <summary>Lists a node's children (bare names, in no guaranteed order) with the node's <see cref="NodeStat"/>.</summary>
    /// <param name="path">The node.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The children and stat.</returns>
    /// <exception cref="NoNodeException">The node does not exist.</exception>
    public Task<NodeChildren> GetChildrenAsync(string path, CancellationToken cancellationToken = default)
        => Submit(new GetChildrenOperation(path, ServerPath(path), watch: false), cancellationToken);

    private CreateRequest BuildCreate(string path, ReadOnlyMemory<byte> data, CreateMode mode, IReadOnlyList<ZooKeeperAcl>? acl, TimeSpan? ttl)
    {
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown create mode.");
        }

        var sequential = mode is CreateMode.PersistentSequential or CreateMode.EphemeralSequential or CreateMode.PersistentSequentialWithTtl;
        var serverPath = ServerPath(path, sequential);
        CheckDataSize(path, data);
        acl ??= ZooKeeperAcl.OpenUnsafe;
        if (acl.Count == 0)
        {
            throw new ArgumentException($"The ACL for '{path}' is empty; ZooKeeper needs at least one entry (for example ZooKeeperAcl.OpenUnsafe).", nameof(acl));
        }

        var isTtl = mode is CreateMode.PersistentWithTtl or CreateMode.PersistentSequentialWithTtl;
        long ttlMs = 0;
        if (isTtl)
        {
            ttlMs = ttl is { } value ? (long)value.TotalMilliseconds : throw new ArgumentException($"The create mode {mode} for '{path}' needs a TTL.", nameof(ttl));
            if (ttlMs is < 1 or > MaxTtlMs)
            {
                throw new ArgumentOutOfRangeException(nameof(ttl), ttl, $"A TTL is from 1 ms to {MaxTtlMs} ms.");
            }
        }
        else if (ttl is not null)
        {
            throw new ArgumentException($"A TTL is only allowed with the TTL create modes, not {mode} (path '{path}').", nameof(ttl));
        }

        return new CreateRequest(serverPath, data, acl, mode, ttlMs);
    }
}
