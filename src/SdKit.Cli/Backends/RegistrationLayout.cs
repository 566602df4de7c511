namespace SdKit.Cli.Backends;

/// <summary>How <c>serve</c> and <c>register</c> lay out an entry.</summary>
internal enum RegistrationLayout
{
    /// <summary>go-kit's layout: a protected ephemeral sequential node (ZooKeeper) or a generated key (etcd).</summary>
    Protected,

    /// <summary>The seed's layout: an entry named by the instance itself (<c>/go_servers/127.0.0.1:8897</c>).</summary>
    Named,
}
