namespace SdKit.Architecture.Tests;

/// <summary>
/// Proof that the rules can fail: each runs against an input that breaks it on purpose (the tool references every
/// backend, a backend references Hosting, the core has the one Instancer and Registrar) and must name the breakage.
/// </summary>
public sealed class RuleSelfTests
{
    [Fact]
    public void CoreRule_OnTheTool_ReportsTheBackends()
    {
        var references = PackageRules.ForbiddenReferences(PackageGraph.Cli, PackageGraph.NotForTheCore);

        Assert.Contains("SdKit.ZooKeeper", references);
        Assert.Contains("SdKit.Etcd", references);
        Assert.NotEmpty(PackageRules.TypesDependingOn(PackageGraph.Cli, PackageGraph.NamespacesNotForTheCore));
    }

    [Fact]
    public void HostingReferenceRule_OnTheZooKeeperBackend_ReportsIt()
    {
        // The Hosting rule run on a backend (which may reference Hosting for its AddZooKeeper) must report it.
        Assert.Equal(["SdKit.Hosting"], PackageRules.ForbiddenReferences(PackageGraph.ZooKeeper, ["SdKit.Hosting"]));
    }

    [Fact]
    public void ClientRule_OnTheZooKeeperBackend_ReportsTheCore()
    {
        Assert.Equal(["SdKit", "SdKit.Hosting", "SdKit.ZooKeeper.Client"], PackageRules.SdKitReferencesBeyond(PackageGraph.ZooKeeper));
        Assert.Contains("SdKit.ZooKeeper.Discovery.ZooKeeperDiscoveryClient", PackageRules.TypesDependingOn(PackageGraph.ZooKeeper, PackageGraph.CoreNamespaces));
    }

    [Fact]
    public void BackendRule_WithTheToolAsABackend_ReportsBothBackends()
    {
        var wrong = PackageGraph.Backends.Append((PackageGraph.Cli, new[] { "SdKit.Cli" })).ToList();

        var references = PackageRules.OtherBackendReferences(PackageGraph.Cli, wrong);

        Assert.Contains("SdKit.ZooKeeper", references);
        Assert.Contains("SdKit.Etcd", references);
    }

    [Fact]
    public void InstancerRule_OnTheCore_ReportsTheInstancerAndTheRegistrar()
    {
        var failing = PackageRules.OwnInstancersOrRegistrars(PackageGraph.Core);

        Assert.Contains("SdKit.Instances.Instancer", failing);
        Assert.Contains("SdKit.Registration.Registrar", failing);
    }

    [Fact]
    public void LoadedAssemblies_AreTheLibraries()
    {
        Assert.Equal(
            ["SdKit", "SdKit.ZooKeeper.Client", "SdKit.ZooKeeper", "SdKit.Etcd", "SdKit.Hosting", "SdKit.Cli"],
            new[] { PackageGraph.Core, PackageGraph.ZooKeeperClient, PackageGraph.ZooKeeper, PackageGraph.Etcd, PackageGraph.Hosting, PackageGraph.Cli }.Select(a => a.GetName().Name));
    }
}
