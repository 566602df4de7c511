namespace SdKit.ZooKeeper.Client;

/// <summary>Which watches <see cref="ZooKeeperClient.RemoveWatchesAsync"/> removes; the values are the wire values.</summary>
public enum WatcherType
{
    /// <summary>Child watches (getChildren).</summary>
    Children = 1,

    /// <summary>Data and exists watches.</summary>
    Data = 2,

    /// <summary>Every watch on the path, including persistent ones.</summary>
    Any = 3,
}
