using Microsoft.Extensions.DependencyInjection;
using SdKit.Testing.ZooKeeper;
using SdKit.ZooKeeper.Client;
using SdKit.ZooKeeper.Discovery;
using Xunit;

namespace SdKit.Hosting.Tests.Backends;

/// <summary>Hosts on a real standalone ZooKeeper started on loopback (one for the class).</summary>
public sealed class ZooKeeperHostingTests(ZooKeeperServerFixture zooKeeper) : HostingScenario, IClassFixture<ZooKeeperServerFixture>
{
    protected override string Name => "zk";

    protected override ISdKitBuilder Backend(ISdKitBuilder sdkit)
        => sdkit.AddZooKeeper(options => options.Connection.ConnectString = zooKeeper.ConnectString);

    /// <summary>Reads the instances through a session of its own, as another process would, not through the hosts.</summary>
    protected override async Task<string[]> StoredInstancesAsync(string service)
    {
        var options = new ZooKeeperDiscoveryOptions { Connection = new ZooKeeperClientOptions { ConnectString = zooKeeper.ConnectString } };
        await using var reader = await ZooKeeperDiscoveryClient.ConnectAsync(options).WaitAsync(TestTimeouts.Start);
        var instances = await reader.ListAsync($"/services/{service}").AsTask().WaitAsync(TestTimeouts.Event);
        return [.. instances.Order(StringComparer.Ordinal)];
    }
}
