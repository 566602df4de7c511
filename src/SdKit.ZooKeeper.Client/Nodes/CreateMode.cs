namespace SdKit.ZooKeeper.Client;

/// <summary>How a node is created; the values are the wire <c>flags</c> of a CreateRequest.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1008:Enums should have zero value", Justification = "Persistent is the wire value 0.")]
public enum CreateMode
{
    /// <summary>A node that lives until deleted.</summary>
    Persistent = 0,

    /// <summary>A node deleted when the creating session ends; it may not have children.</summary>
    Ephemeral = 1,

    /// <summary>A persistent node whose name gets a 10-digit, zero-padded sequence suffix.</summary>
    PersistentSequential = 2,

    /// <summary>An ephemeral node whose name gets a 10-digit, zero-padded sequence suffix.</summary>
    EphemeralSequential = 3,

    /// <summary>A container: the server deletes it some time after its last child is gone.</summary>
    Container = 4,

    /// <summary>A persistent node the server deletes when it has had no change and no children for its TTL (needs extended types on the server).</summary>
    PersistentWithTtl = 5,

    /// <summary>A sequential node with a TTL (needs extended types on the server).</summary>
    PersistentSequentialWithTtl = 6,
}
