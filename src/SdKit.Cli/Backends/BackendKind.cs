namespace SdKit.Cli.Backends;

/// <summary>The registry the tool talks to.</summary>
internal enum BackendKind
{
    /// <summary>An in-memory registry inside this process.</summary>
    Memory,

    /// <summary>A ZooKeeper ensemble.</summary>
    ZooKeeper,

    /// <summary>An etcd cluster.</summary>
    Etcd,
}
