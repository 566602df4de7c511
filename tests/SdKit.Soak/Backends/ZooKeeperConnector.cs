using Microsoft.Extensions.Logging;
using SdKit.Client;
using SdKit.ZooKeeper.Client;
using SdKit.ZooKeeper.Discovery;

namespace SdKit.Soak.Backends;

/// <summary>Connects the ZooKeeper discovery client (protected layout, the default) with the soak's session timeout.</summary>
internal static class ZooKeeperConnector
{
    public static async Task<IDiscoveryClient> ConnectAsync(string connectString, TimeSpan sessionTimeout, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var options = new ZooKeeperDiscoveryOptions
        {
            Connection = new ZooKeeperClientOptions { ConnectString = connectString, SessionTimeout = sessionTimeout, ConnectTimeout = TimeSpan.FromSeconds(15) },
        };
        return await ZooKeeperDiscoveryClient.ConnectAsync(options, loggerFactory, cancellationToken).ConfigureAwait(false);
    }
}
