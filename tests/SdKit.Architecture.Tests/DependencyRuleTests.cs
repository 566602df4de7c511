namespace SdKit.Architecture.Tests;

/// <summary>
/// The dependency rules of docs/architecture.md: the core and the ZooKeeper client reference nothing of SdKit's
/// backends (the client nothing of SdKit at all); a backend references the core and Hosting but never another
/// backend; Hosting references only the core; no backend has an instancer or registrar of its own.
/// </summary>
public sealed class DependencyRuleTests
{
    [Fact]
    public void Core_ReferencesNoBackendHostingCliGrpcOrYarp()
    {
        Assert.Empty(PackageRules.ForbiddenReferences(PackageGraph.Core, PackageGraph.NotForTheCore));
        Assert.Empty(PackageRules.SdKitReferencesBeyond(PackageGraph.Core));
        Assert.Empty(PackageRules.TypesDependingOn(PackageGraph.Core, PackageGraph.NamespacesNotForTheCore));
    }

    [Fact]
    public void ZooKeeperClient_ReferencesNothingOfSdKit()
    {
        Assert.Empty(PackageRules.SdKitReferencesBeyond(PackageGraph.ZooKeeperClient));
        Assert.Empty(PackageRules.TypesDependingOn(PackageGraph.ZooKeeperClient, PackageGraph.CoreNamespaces));
    }

    [Fact]
    public void ZooKeeperClient_ExceptionsHaveTheirOwnRoot()
    {
        var exceptions = PackageGraph.ZooKeeperClient.GetExportedTypes().Where(type => typeof(Exception).IsAssignableFrom(type)).ToList();

        Assert.NotEmpty(exceptions);
        Assert.All(exceptions, type => Assert.True(
            type == typeof(SdKit.ZooKeeper.Client.ZooKeeperException) || type.IsSubclassOf(typeof(SdKit.ZooKeeper.Client.ZooKeeperException)),
            $"{type.FullName} does not derive from ZooKeeperException."));
        Assert.Equal(typeof(Exception), typeof(SdKit.ZooKeeper.Client.ZooKeeperException).BaseType);
    }

    [Fact]
    public void Backends_ReferenceTheCoreAndHostingButNoOtherBackend()
    {
        foreach (var (backend, _) in PackageGraph.Backends)
        {
            Assert.Empty(PackageRules.OtherBackendReferences(backend, PackageGraph.Backends));
        }

        Assert.Empty(PackageRules.SdKitReferencesBeyond(PackageGraph.ZooKeeper, "SdKit", "SdKit.Hosting", "SdKit.ZooKeeper.Client"));
        Assert.Empty(PackageRules.SdKitReferencesBeyond(PackageGraph.Etcd, "SdKit", "SdKit.Hosting"));
    }

    [Fact]
    public void Hosting_ReferencesOnlyTheCore()
    {
        Assert.Empty(PackageRules.SdKitReferencesBeyond(PackageGraph.Hosting, "SdKit"));
        Assert.Empty(PackageRules.ForbiddenReferences(PackageGraph.Hosting, ["dotnet-etcd", "Grpc", "Yarp"]));
        Assert.Empty(PackageRules.TypesDependingOn(PackageGraph.Hosting, ["SdKit.ZooKeeper", "SdKit.Etcd", "SdKit.Cli", "dotnet_etcd"]));
    }

    [Fact]
    public void Transports_ReferenceTheCoreAndHostingButNoBackendAndNotEachOther()
    {
        // gRPC and YARP resolve service names through Hosting's shared instancers; the backend is the application's choice.
        Assert.Empty(PackageRules.SdKitReferencesBeyond(PackageGraph.Grpc, "SdKit", "SdKit.Hosting"));
        Assert.Empty(PackageRules.SdKitReferencesBeyond(PackageGraph.Yarp, "SdKit", "SdKit.Hosting"));
        Assert.Empty(PackageRules.ForbiddenReferences(PackageGraph.Grpc, ["dotnet-etcd", "Yarp"]));
        Assert.Empty(PackageRules.ForbiddenReferences(PackageGraph.Yarp, ["dotnet-etcd", "Grpc"]));
        Assert.Empty(PackageRules.TypesDependingOn(PackageGraph.Grpc, ["SdKit.ZooKeeper", "SdKit.Etcd", "SdKit.Cli", "SdKit.Yarp", "Yarp"]));
        Assert.Empty(PackageRules.TypesDependingOn(PackageGraph.Yarp, ["SdKit.ZooKeeper", "SdKit.Etcd", "SdKit.Cli", "SdKit.Grpc", "Grpc"]));
    }

    [Fact]
    public void Transports_DefineNoInstancerOrRegistrarOfTheirOwn()
    {
        Assert.Empty(PackageRules.OwnInstancersOrRegistrars(PackageGraph.Grpc));
        Assert.Empty(PackageRules.OwnInstancersOrRegistrars(PackageGraph.Yarp));
    }

    [Fact]
    public void Backends_DefineNoInstancerOrRegistrarOfTheirOwn()
    {
        foreach (var (backend, _) in PackageGraph.Backends)
        {
            Assert.Empty(PackageRules.OwnInstancersOrRegistrars(backend));
        }

        Assert.Empty(PackageRules.OwnInstancersOrRegistrars(PackageGraph.ZooKeeperClient));
        Assert.Empty(PackageRules.OwnInstancersOrRegistrars(PackageGraph.Hosting));
    }
}
