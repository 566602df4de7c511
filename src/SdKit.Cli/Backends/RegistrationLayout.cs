namespace SdKit.Cli.Backends;

/// <summary>How <c>serve</c> and <c>register</c> lay out an entry.</summary>
internal enum RegistrationLayout
{
    /// <summary>go-kit's layout: a protected ephemeral sequential node (ZooKeeper) or a generated key (etcd).</summary>
    Protected,

    /// <summary>The seed's layout: an entry named by the instance itself (<c>/go_servers/127.0.0.1:8897</c>).</summary>
    Named,

    /// <summary>
    /// Apache Curator x-discovery's layout (ZooKeeper only): an ephemeral node <c>&lt;path&gt;/&lt;id&gt;</c> whose
    /// data is Curator's JSON, which Curator's <c>ServiceDiscovery</c> finds.
    /// </summary>
    Curator,
}
