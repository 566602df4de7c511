using SdKit.Cli.Tests.Support;
using SdKit.Testing.ZooKeeper;
using Xunit;
using Xunit.Abstractions;

namespace SdKit.Dashboard.Tests;

/// <summary>The dashboard against a real standalone ZooKeeper on loopback.</summary>
public sealed class ZooKeeperDashboardTests(ZooKeeperServerFixture zooKeeper, ITestOutputHelper log) : DashboardBrowserScenario(log), IClassFixture<ZooKeeperServerFixture>
{
    internal override RegistryTool Tool => RegistryTool.ZooKeeper(zooKeeper.ConnectString);

    protected override string Name => "zk";

    protected override string OwnerPrefix => "session";
}
