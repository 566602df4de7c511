namespace SdKit.ZooKeeper.Discovery;

/// <summary>How <see cref="ZooKeeperDiscoveryClient.RegisterAsync"/> lays out the node of one instance.</summary>
public enum ZooKeeperNodeLayout
{
    /// <summary>
    /// go-kit's and Curator's layout: a protected ephemeral sequential node
    /// <c>&lt;servicePath&gt;/_c_&lt;32 hex of a fresh GUID&gt;-&lt;10-digit sequence&gt;</c> whose data is the instance
    /// string. The GUID lets a create that failed with a connection loss find and adopt its node instead of leaving
    /// an orphan or a duplicate. Several registrations of one instance are allowed.
    /// </summary>
    Protected,

    /// <summary>
    /// The plain layout of hand-written Go servers: an ephemeral node <c>&lt;servicePath&gt;/&lt;instance&gt;</c> with no
    /// data, for example <c>/go_servers/127.0.0.1:8897</c>. The instance must not contain <c>/</c>, and one instance can
    /// be registered only once at a time (a node left by another, still living session fails with
    /// <see cref="NodeExistsException"/> until that session ends).
    /// </summary>
    Named,

    /// <summary>
    /// Apache Curator x-discovery's layout: an ephemeral node <c>&lt;servicePath&gt;/&lt;id&gt;</c> named by
    /// <see cref="SdKit.Client.ServiceEntry.Id"/> (which must be set; the <see cref="SdKit.Registration.Registrar"/> always sets
    /// one) whose data is the instance string, for example the JSON of <see cref="SdKit.Instances.Codecs.CuratorJsonCodec"/>
    /// (<see cref="ZooKeeperDiscoveryOptions.InstanceFormat"/> <c>curator</c>). Curator's <c>registerService</c>
    /// creates exactly such a node for a <c>DYNAMIC</c> instance. One id can be registered only once at a time, as in
    /// the named layout.
    /// </summary>
    Curator,
}
