using SdKit.ZooKeeper.Client.Protocol;
using SdKit.ZooKeeper.Client.Protocol.Requests;

namespace SdKit.ZooKeeper.Client;

/// <summary>ACLs, sync, multi, ephemerals and authentication.</summary>
public sealed partial class ZooKeeperClient
{
    /// <summary>Gets a node's ACL and stat.</summary>
    /// <param name="path">The node.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The ACL and stat.</returns>
    /// <exception cref="NoNodeException">The node does not exist.</exception>
    public Task<NodeAcl> GetAclAsync(string path, CancellationToken cancellationToken = default)
        => Submit(new GetAclOperation(path, ServerPath(path)), cancellationToken);

    /// <summary>Sets a node's ACL. Keep ADMIN for yourself: without it nobody but a super user can change the ACL again.</summary>
    /// <param name="path">The node.</param>
    /// <param name="acl">The new ACL (not empty).</param>
    /// <param name="aclVersion">The expected ACL version (<see cref="NodeStat.AclVersion"/>), or -1 for any.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The node's new stat.</returns>
    /// <exception cref="NoAuthException">The ACL does not grant ADMIN.</exception>
    /// <exception cref="BadVersionException">The ACL version does not match.</exception>
    public Task<NodeStat> SetAclAsync(string path, IReadOnlyList<ZooKeeperAcl> acl, int aclVersion = -1, CancellationToken cancellationToken = default)
    {
        var serverPath = ServerPath(path);
        ArgumentNullException.ThrowIfNull(acl);
        if (acl.Count == 0)
        {
            throw new ArgumentException($"The ACL for '{path}' is empty; ZooKeeper needs at least one entry.", nameof(acl));
        }

        CheckVersion(aclVersion);
        return Submit(new SetAclOperation(path, serverPath, acl, aclVersion), cancellationToken);
    }

    /// <summary>Waits until the server this client is connected to has caught up with the leader for <paramref name="path"/>.</summary>
    /// <param name="path">The node whose view to bring up to date.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when the server has caught up.</returns>
    public Task SyncAsync(string path, CancellationToken cancellationToken = default)
        => Submit(new SyncOperation(path, ServerPath(path)), cancellationToken);

    /// <summary>Applies <paramref name="ops"/> atomically: all or none.</summary>
    /// <param name="ops">The operations, applied in order.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>One result per operation, in order.</returns>
    /// <exception cref="MultiOperationException">An operation failed; nothing was applied. It names the failing op.</exception>
    public Task<IReadOnlyList<MultiResult>> MultiAsync(IEnumerable<MultiOp> ops, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ops);
        var list = ops.ToList();
        if (list.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<MultiResult>>([]);
        }

        var requests = new List<object>(list.Count);
        foreach (var op in list)
        {
            ArgumentNullException.ThrowIfNull(op, nameof(ops));
            requests.Add(op switch
            {
                CreateOp create => BuildCreate(create.Path, create.Data, create.Mode, create.Acl, create.Ttl),
                DeleteOp delete => SubRequest(OpCode.Delete, delete.Path, default, delete.Version),
                SetDataOp setData => SubRequest(OpCode.SetData, setData.Path, setData.Data, setData.Version),
                CheckOp check => SubRequest(OpCode.Check, check.Path, default, check.Version),
                _ => throw new ArgumentException($"Unknown multi op type {op.GetType().Name}.", nameof(ops)),
            });
        }

        return Submit(new MultiOperation(list, requests, _chroot), cancellationToken);
    }

    /// <summary>
    /// Runs many reads in one request and one reply (multiRead, ZooKeeper 3.6+). Not atomic: each read succeeds or
    /// fails on its own, so a missing or unreadable node is an <see cref="ErrorOpResult"/> in its place, not an exception.
    /// </summary>
    /// <remarks>
    /// One multiRead of a thousand getData costs the server one request instead of a thousand, which is what makes it
    /// worth using for large listings. Watches cannot be set through it. Keep the reply under the server's
    /// <c>jute.maxbuffer</c> and this client's <see cref="ZooKeeperClientOptions.MaxFrameSize"/> by batching.
    /// A server older than 3.6 answers Unimplemented and closes the connection (the session resumes on the next one).
    /// </remarks>
    /// <param name="ops">The reads, answered in order.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>One <see cref="GetDataOpResult"/> (<see cref="GetDataTextOpResult"/> for <see cref="ReadOp.GetDataAsText"/>), <see cref="GetChildrenOpResult"/> or <see cref="ErrorOpResult"/> per read, in order.</returns>
    /// <exception cref="UnimplementedException">The server does not know multiRead (before 3.6).</exception>
    public Task<IReadOnlyList<MultiResult>> MultiReadAsync(IEnumerable<ReadOp> ops, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ops);
        var list = ops.ToList();
        if (list.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<MultiResult>>([]);
        }

        var serverPaths = new string[list.Count];
        for (var i = 0; i < list.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(list[i], nameof(ops));
            serverPaths[i] = ServerPath(list[i].Path, paramName: nameof(ops));
        }

        return Submit(new MultiReadOperation(list, serverPaths), cancellationToken);
    }

    /// <summary>Lists this session's ephemeral nodes under <paramref name="prefix"/> (ZooKeeper 3.6+).</summary>
    /// <param name="prefix">A path prefix; <c>/</c> lists all.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The full paths (without chroot).</returns>
    public Task<IReadOnlyList<string>> GetEphemeralsAsync(string prefix = "/", CancellationToken cancellationToken = default)
        => Submit(new GetEphemeralsOperation(prefix, ServerPath(prefix), _chroot), cancellationToken);

    /// <summary>Counts all descendants of a node, recursively (ZooKeeper 3.6+).</summary>
    /// <param name="path">The node.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>The number of descendants.</returns>
    public Task<int> GetAllChildrenNumberAsync(string path, CancellationToken cancellationToken = default)
        => Submit(new GetAllChildrenNumberOperation(path, ServerPath(path)), cancellationToken);

    /// <summary>Adds credentials to the session now and after every reconnect (for example <see cref="ZooKeeperAuthInfo.Digest"/>).</summary>
    /// <param name="auth">The credentials.</param>
    /// <param name="cancellationToken">Stops waiting for the reply.</param>
    /// <returns>A task that completes when the server accepted them.</returns>
    /// <exception cref="AuthFailedException">The server refused them; the client stops.</exception>
    public async Task AddAuthAsync(ZooKeeperAuthInfo auth, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(auth);
        ArgumentException.ThrowIfNullOrEmpty(auth.Scheme, nameof(auth));
        await Submit(new AuthOperation(auth), cancellationToken).ConfigureAwait(false);
        _session.AddCredential(auth);
    }

    private MultiSubRequest SubRequest(OpCode opCode, string path, ReadOnlyMemory<byte> data, int version)
    {
        var serverPath = ServerPath(path);
        CheckVersion(version);
        if (opCode == OpCode.SetData)
        {
            CheckDataSize(path, data);
        }

        return new MultiSubRequest(opCode, serverPath, data, version);
    }
}
