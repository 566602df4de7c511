using SdKit.Testing.Etcd;

namespace SdKit.Etcd.Tests.TestSupport;

/// <summary>Creates clients and unique service paths for tests.</summary>
internal static class Clients
{
    public static EtcdDiscoveryOptions Options(EtcdCluster cluster, int ttlSeconds = 10)
    {
        var options = new EtcdDiscoveryOptions { LeaseTtl = TimeSpan.FromSeconds(ttlSeconds), RequestTimeout = TimeSpan.FromSeconds(10), MaxRetryDelay = TimeSpan.FromMilliseconds(500) };
        foreach (var endpoint in cluster.EndpointList)
        {
            options.Endpoints.Add(endpoint);
        }

        return options;
    }

    public static Task<EtcdDiscoveryClient> ConnectAsync(EtcdCluster cluster, int ttlSeconds = 10, Microsoft.Extensions.Logging.ILoggerFactory? logging = null)
        => EtcdDiscoveryClient.ConnectAsync(Options(cluster, ttlSeconds), logging);

    public static string NewServicePath(string root = "/sdkit-tests") => $"{root}/{Guid.NewGuid():N}/svc";
}
