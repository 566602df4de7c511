using Microsoft.Extensions.Logging;
using SdKit.Client;
using SdKit.Etcd;

namespace SdKit.Soak.Backends;

/// <summary>
/// What differs between the backends in a soak: how to start the cluster, how to connect a client, and the session
/// timeout or lease TTL that bounds convergence (the bound is that plus 2 s).
/// </summary>
internal sealed class BackendProfile
{
    private BackendProfile(string name, TimeSpan sessionOrTtl)
    {
        Name = name;
        SessionOrTtl = sessionOrTtl;
    }

    public string Name { get; }

    /// <summary>Gets the ZooKeeper session timeout or the etcd lease TTL.</summary>
    public TimeSpan SessionOrTtl { get; }

    /// <summary>Gets the convergence bound: <see cref="SessionOrTtl"/> + 2 s.</summary>
    public TimeSpan Bound => SessionOrTtl + TimeSpan.FromSeconds(2);

    public static BackendProfile For(string backend) => backend switch
    {
        "etcd" => new("etcd", TimeSpan.FromSeconds(5)),
        // tickTime 200 ms allows 400 ms .. 4 s; the longest keeps flaps short of expiry while the bound stays short.
        "zk" => new("zk", TimeSpan.FromSeconds(4)),
        _ => throw new ArgumentException($"Unknown backend '{backend}'; use zk or etcd.", nameof(backend)),
    };

    public async Task<ISoakCluster> StartClusterAsync() => Name switch
    {
        "etcd" => await EtcdSoakCluster.StartAsync().ConfigureAwait(false),
        _ => await ZooKeeperSoakCluster.StartAsync().ConfigureAwait(false),
    };

    /// <summary>Connects a discovery client to <paramref name="addresses"/> (<c>127.0.0.1:port</c> each).</summary>
    public async Task<IDiscoveryClient> ConnectAsync(IReadOnlyList<string> addresses, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        if (Name == "etcd")
        {
            var options = new EtcdDiscoveryOptions { LeaseTtl = SessionOrTtl, RequestTimeout = TimeSpan.FromSeconds(2), MaxRetryDelay = TimeSpan.FromSeconds(1) };
            foreach (var address in addresses)
            {
                options.Endpoints.Add("http://" + address);
            }

            return await EtcdDiscoveryClient.ConnectAsync(options, loggerFactory, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return await ZooKeeperConnector.ConnectAsync(string.Join(',', addresses), SessionOrTtl, loggerFactory, cancellationToken).ConfigureAwait(false);
    }
}
