using SdKit.Cli.Tests.Support;
using SdKit.Testing.Etcd;
using Xunit;
using Xunit.Abstractions;

namespace SdKit.Dashboard.Tests;

/// <summary>The dashboard against a real etcd member on loopback.</summary>
public sealed class EtcdDashboardTests(EtcdSingleMemberFixture etcd, ITestOutputHelper log) : DashboardBrowserScenario(log), IClassFixture<EtcdSingleMemberFixture>
{
    internal override RegistryTool Tool => RegistryTool.Etcd(etcd.Endpoints);

    protected override string Name => "etcd";

    protected override string OwnerPrefix => "lease";
}
