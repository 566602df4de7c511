using dotnet_etcd;

namespace SdKit.Etcd;

/// <summary>The dotnet-etcd client underneath, for reads beyond discovery.</summary>
public sealed partial class EtcdDiscoveryClient
{
    /// <summary>
    /// Gets the dotnet-etcd client this discovery client talks through (its TLS, credentials and channel), for reads
    /// the discovery contract does not cover, such as a key's lease. Do not dispose it, and do not write entries
    /// through it: the discovery client owns the lease and the entries on it.
    /// </summary>
    public EtcdClient Etcd => _connection.Client;
}
