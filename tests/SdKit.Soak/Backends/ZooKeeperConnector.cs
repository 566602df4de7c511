using Microsoft.Extensions.Logging;
using SdKit.Client;

namespace SdKit.Soak.Backends;

/// <summary>Connects the ZooKeeper discovery client.</summary>
internal static class ZooKeeperConnector
{
    public static Task<IDiscoveryClient> ConnectAsync(string connectString, TimeSpan sessionTimeout, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        _ = (connectString, sessionTimeout, loggerFactory, cancellationToken);
        throw new NotSupportedException("The ZooKeeper IDiscoveryClient (ZooKeeperDiscoveryClient, branch zkdisc) has not landed in main yet; run --backend etcd.");
    }
}
