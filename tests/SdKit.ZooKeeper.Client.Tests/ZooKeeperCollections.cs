using SdKit.Testing.ZooKeeper;

namespace SdKit.ZooKeeper.Client.Tests;

/// <summary>Tests that share one standalone server.</summary>
[CollectionDefinition(Name)]
public sealed class StandaloneCollection : ICollectionFixture<ZooKeeperServerFixture>
{
    public const string Name = "zookeeper-standalone";
}

/// <summary>Tests that share one three-server ensemble.</summary>
[CollectionDefinition(Name)]
public sealed class EnsembleCollection : ICollectionFixture<ZooKeeperEnsembleFixture>
{
    public const string Name = "zookeeper-ensemble";
}

/// <summary>Tests that take the quorum away from one three-server ensemble with read-only mode enabled (run one at a time).</summary>
[CollectionDefinition(Name)]
public sealed class ReadOnlyEnsembleCollection : ICollectionFixture<ZooKeeperReadOnlyEnsembleFixture>
{
    public const string Name = "zookeeper-readonly-ensemble";
}
