using Microsoft.Extensions.DependencyInjection;
using SdKit.Hosting;
using SdKit.Testing.Etcd;
using SdKit.Testing.ZooKeeper;

namespace SdKit.Grpc.Tests;

/// <summary>A real ZooKeeper or etcd on loopback for one test, which the test may kill (the registry outage).</summary>
internal sealed class TestRegistry : IAsyncDisposable
{
    /// <summary>The session timeout / lease TTL the backends register with: short, so a killed one expires quickly.</summary>
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(2);

    private readonly ZooKeeperServer? _zooKeeper;
    private readonly EtcdCluster? _etcd;

    private TestRegistry(string kind, ZooKeeperServer? zooKeeper, EtcdCluster? etcd)
    {
        Kind = kind;
        _zooKeeper = zooKeeper;
        _etcd = etcd;
    }

    public string Kind { get; }

    /// <summary>Gets the backend settings that point the test backend at this registry.</summary>
    public IReadOnlyList<string> BackendArguments => _zooKeeper is not null
        ? ["--Registry", "zookeeper", "--SdKit:ZooKeeper:ConnectString", _zooKeeper.ConnectString, "--TtlSeconds", Ttl.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "--SdKit:DeregisterTimeout", "00:00:01"]
        : ["--Registry", "etcd", "--SdKit:Etcd:Endpoints", _etcd!.Endpoints, "--TtlSeconds", Ttl.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "--SdKit:DeregisterTimeout", "00:00:01"];

    public static async Task<TestRegistry> StartAsync(string kind) => kind switch
    {
        "zookeeper" => new TestRegistry(kind, await ZooKeeperServer.StartStandaloneAsync(), null),
        "etcd" => new TestRegistry(kind, null, await EtcdCluster.StartAsync(1)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "zookeeper or etcd"),
    };

    /// <summary>Points a client's SdKit at this registry.</summary>
    public ISdKitBuilder Use(ISdKitBuilder sdkit) => _zooKeeper is not null
        ? sdkit.AddZooKeeper(o => o.Connection.ConnectString = _zooKeeper.ConnectString)
        : sdkit.AddEtcd(o =>
        {
            foreach (var endpoint in _etcd!.EndpointList)
            {
                o.Endpoints.Add(endpoint);
            }
        });

    /// <summary>Kills the registry (SIGKILL): every client loses it at once.</summary>
    public async Task KillAsync()
    {
        if (_zooKeeper is not null)
        {
            await _zooKeeper.KillAsync();
        }
        else
        {
            await _etcd!.Members[0].KillAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_zooKeeper is not null)
        {
            await _zooKeeper.DisposeAsync();
        }

        if (_etcd is not null)
        {
            await _etcd.DisposeAsync();
        }
    }
}
