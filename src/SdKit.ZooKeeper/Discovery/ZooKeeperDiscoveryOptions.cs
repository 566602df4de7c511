namespace SdKit.ZooKeeper.Discovery;

/// <summary>
/// Settings of a <see cref="ZooKeeperDiscoveryClient"/>: how to reach the ensemble, how instance nodes are laid out,
/// and the ACLs and data of the nodes it creates.
/// </summary>
public sealed class ZooKeeperDiscoveryOptions
{
    /// <summary>The default <see cref="ReadBatchSize"/>.</summary>
    public const int DefaultReadBatchSize = 256;

    /// <summary>The largest <see cref="ReadBatchSize"/>: a batch's request (about 100 bytes a read) stays far below the server's 1 MiB limit.</summary>
    public const int MaxReadBatchSize = 4096;

    /// <summary>
    /// Gets or sets the session settings (connect string, session timeout, credentials) used by
    /// <see cref="ZooKeeperDiscoveryClient.ConnectAsync"/>.
    /// </summary>
    public ZooKeeperClientOptions Connection { get; set; } = new();

    /// <summary>Gets or sets the layout of registered instance nodes.</summary>
    /// <value>The default value is <see cref="ZooKeeperNodeLayout.Protected"/> (go-kit's).</value>
    public ZooKeeperNodeLayout Layout { get; set; } = ZooKeeperNodeLayout.Protected;

    /// <summary>
    /// Gets or sets the format of the instance strings in this registry, by name (one of
    /// <see cref="SdKit.Instances.Codecs.InstanceFormats.Names"/>: <c>plain</c>, <c>seed-etcd-json</c>, <c>sdkit-json</c>,
    /// <c>curator</c>): the codec that typed views and the hosted registration use
    /// (<see cref="SdKit.Instances.Codecs.InstanceFormats.CreateCodec"/>).
    /// </summary>
    /// <value>The default value is <c>plain</c> (go-kit's and the seed's bare strings).</value>
    /// <remarks>
    /// Every format but <c>plain</c> is stored in the node's data, so the <see cref="ZooKeeperNodeLayout.Named"/> layout
    /// (no data) takes only <c>plain</c>. For Curator interop use <c>curator</c> with <see cref="ZooKeeperNodeLayout.Curator"/>
    /// (configuration infers the layout when only the format is given).
    /// </remarks>
    public string InstanceFormat { get; set; } = SdKit.Instances.Codecs.InstanceFormats.Plain;

    /// <summary>Gets or sets the ACL of the instance nodes that registration creates.</summary>
    /// <value>The default value is <see cref="ZooKeeperAcl.OpenUnsafe"/> (<c>world:anyone</c>, all permissions), as go-kit.</value>
    public IReadOnlyList<ZooKeeperAcl> NodeAcl { get; set; } = ZooKeeperAcl.OpenUnsafe;

    /// <summary>Gets or sets the ACL of the missing parent nodes that registration creates (persistent nodes).</summary>
    /// <value>The default value is <see cref="ZooKeeperAcl.OpenUnsafe"/>, as go-kit.</value>
    /// <remarks>ZooKeeper checks DELETE on the parent: who may remove an instance node is decided here.</remarks>
    public IReadOnlyList<ZooKeeperAcl> ParentAcl { get; set; } = ZooKeeperAcl.OpenUnsafe;

    /// <summary>
    /// Gets the data of created parent nodes by depth, as go-kit's root node payload: entry 0 for the first level
    /// (<c>/services</c>), entry 1 for the second (<c>/services/hello</c>), ...; levels without an entry get no data.
    /// Existing parents are never changed.
    /// </summary>
    public IList<byte[]> ParentData { get; } = [];

    /// <summary>
    /// Gets or sets how many times a registration or deregistration step is tried when the connection is lost
    /// (the registrar retries further with backoff).
    /// </summary>
    /// <value>The default value is 3, as go-kit.</value>
    public int Attempts { get; set; } = 3;

    /// <summary>Gets or sets how a watcher learns about changes of a service path.</summary>
    /// <value>The default value is <see cref="ZooKeeperWatchMode.PersistentRecursive"/>.</value>
    /// <remarks>
    /// A new instance costs each watcher one event and one read with a persistent recursive watch, against an event,
    /// a listing and a read with a children watch: with a hundred watchers on a hundred sessions, that is the
    /// server's work per registration cut by a third (see docs/benchmarks.md).
    /// </remarks>
    public ZooKeeperWatchMode WatchMode { get; set; } = ZooKeeperWatchMode.PersistentRecursive;

    /// <summary>
    /// Gets or sets how many instance nodes a watcher reads in one multiRead request (ZooKeeper 3.6+) when it meets
    /// new children; 1 reads them with one getData each (still all in flight at once).
    /// </summary>
    /// <value>The default value is 256.</value>
    /// <remarks>
    /// Batching cuts the server's work for a large service by the batch size (see docs/benchmarks.md). One batch's
    /// reply must fit in <see cref="ZooKeeperClientOptions.MaxFrameSize"/> (2 MiB by default): 256 nodes of up to
    /// about 8 KB each. Lower it, or set 1, for instance nodes with larger data. Against a server before 3.6, which
    /// lacks multiRead, the client notices on the first batch, logs it and reads one node per request from then on.
    /// </remarks>
    public int ReadBatchSize { get; set; } = DefaultReadBatchSize;

    /// <summary>
    /// Makes the nodes readable by everyone and changeable or removable only by <paramref name="user"/>: adds the
    /// digest credentials to <see cref="Connection"/> and sets <see cref="NodeAcl"/> and <see cref="ParentAcl"/> to
    /// <c>world:anyone</c> READ plus <c>digest:user</c> ALL. Parents that already exist keep their ACL.
    /// </summary>
    /// <param name="user">The digest user (no <c>:</c>).</param>
    /// <param name="password">Its password.</param>
    /// <returns>These options.</returns>
    public ZooKeeperDiscoveryOptions UseDigestOwner(string user, string password)
    {
        var owner = ZooKeeperAcl.Digest(user, password, ZooKeeperPermissions.All);
        IReadOnlyList<ZooKeeperAcl> acl = [new(ZooKeeperPermissions.Read, "world", "anyone"), owner];
        Connection.Authentication.Add(ZooKeeperAuthInfo.Digest(user, password));
        NodeAcl = acl;
        ParentAcl = acl;
        return this;
    }

    /// <summary>Throws when a setting is out of range, naming it.</summary>
    /// <exception cref="ArgumentException">A setting is invalid.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Connection);
        if (!Enum.IsDefined(Layout))
        {
            throw new ArgumentException($"Layout {Layout} is not a ZooKeeperNodeLayout.", nameof(Layout));
        }

        var format = SdKit.Instances.Codecs.InstanceFormats.Normalize(InstanceFormat, nameof(InstanceFormat));
        if (Layout == ZooKeeperNodeLayout.Named && format != SdKit.Instances.Codecs.InstanceFormats.Plain)
        {
            throw new ArgumentException($"InstanceFormat '{InstanceFormat}' is stored in the node's data, but the Named layout stores no data; use the Protected or Curator layout, or the plain format.", nameof(InstanceFormat));
        }

        if (!Enum.IsDefined(WatchMode))
        {
            throw new ArgumentException($"WatchMode {WatchMode} is not a ZooKeeperWatchMode.", nameof(WatchMode));
        }

        CheckAcl(NodeAcl, nameof(NodeAcl));
        CheckAcl(ParentAcl, nameof(ParentAcl));
        if (ParentData.Any(d => d is null))
        {
            throw new ArgumentException("ParentData must not hold null entries; use an empty array for no data.", nameof(ParentData));
        }

        if (Attempts < 1)
        {
            throw new ArgumentException($"Attempts must be at least 1, not {Attempts}.", nameof(Attempts));
        }

        if (ReadBatchSize is < 1 or > MaxReadBatchSize)
        {
            throw new ArgumentException($"ReadBatchSize must be between 1 and {MaxReadBatchSize}, not {ReadBatchSize}.", nameof(ReadBatchSize));
        }
    }

    /// <summary>Returns a copy whose lists later changes to this object do not affect.</summary>
    internal ZooKeeperDiscoveryOptions Snapshot()
    {
        var copy = new ZooKeeperDiscoveryOptions
        {
            Connection = Connection,
            Layout = Layout,
            InstanceFormat = SdKit.Instances.Codecs.InstanceFormats.Normalize(InstanceFormat, nameof(InstanceFormat)),
            NodeAcl = [.. NodeAcl],
            ParentAcl = [.. ParentAcl],
            Attempts = Attempts,
            ReadBatchSize = ReadBatchSize,
            WatchMode = WatchMode,
        };
        foreach (var data in ParentData)
        {
            copy.ParentData.Add([.. data]);
        }

        return copy;
    }

    private static void CheckAcl(IReadOnlyList<ZooKeeperAcl>? acl, string name)
    {
        if (acl is null || acl.Count == 0)
        {
            throw new ArgumentException($"{name} must hold at least one entry (for example ZooKeeperAcl.OpenUnsafe).", name);
        }
    }
}
