namespace SdKit.ZooKeeper.Client;

/// <summary>The kind of a persistent watch (AddWatchMode), with its wire value.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1008:Enums should have zero value", Justification = "Persistent is the wire value 0.")]
public enum AddWatchMode
{
    /// <summary>Fires for data and child changes of exactly the path, until removed.</summary>
    Persistent = 0,

    /// <summary>Fires for creations, deletions and data changes of the path and every descendant, until removed (never for child-list changes).</summary>
    PersistentRecursive = 1,
}
