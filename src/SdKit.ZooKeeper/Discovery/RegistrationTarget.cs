using SdKit.Client;

namespace SdKit.ZooKeeper.Discovery;

/// <summary>Where and how one registration creates its node.</summary>
/// <param name="Parent">The service path: the parent of the node.</param>
/// <param name="Name">The node name (named and Curator layouts) or the protected name prefix the server completes with a sequence.</param>
/// <param name="Mode">Ephemeral (named, Curator) or ephemeral sequential (protected).</param>
internal sealed record RegistrationTarget(string Parent, string Name, CreateMode Mode)
{
    /// <summary>Gets the path passed to create.</summary>
    public string CreatePath => Parent + "/" + Name;

    /// <summary>Builds the target of <paramref name="entry"/>; a fresh GUID for every protected registration.</summary>
    /// <exception cref="ArgumentException">Named layout: the instance is not a valid node name; Curator layout: the entry has no id, or it is not a valid node name.</exception>
    public static RegistrationTarget For(ServiceEntry entry, ZooKeeperNodeLayout layout)
    {
        ZooKeeperPaths.Validate(entry.ServicePath, sequential: false, nameof(entry));
        if (layout == ZooKeeperNodeLayout.Protected)
        {
            return new RegistrationTarget(entry.ServicePath, ProtectedNodeName.Prefix(Guid.NewGuid()), CreateMode.EphemeralSequential);
        }

        if (layout == ZooKeeperNodeLayout.Curator)
        {
            var id = entry.Id ?? throw new ArgumentException($"The Curator layout names the node by the entry's id, but the entry '{entry.Instance}' under '{entry.ServicePath}' has none; set ServiceEntry.Id (the instance's id).", nameof(entry));
            if (id is "." or ".." || id.StartsWith(ProtectedNodeName.Marker, StringComparison.Ordinal))
            {
                throw new ArgumentException($"The id '{id}' cannot be a node name in the Curator layout (not '.' or '..', not starting with '_c_').", nameof(entry));
            }

            ZooKeeperPaths.Validate(entry.ServicePath + "/" + id, sequential: false, nameof(entry));
            return new RegistrationTarget(entry.ServicePath, id, CreateMode.Ephemeral);
        }

        var instance = entry.Instance;
        if (instance.Contains('/', StringComparison.Ordinal) || instance is "." or ".." || instance.StartsWith(ProtectedNodeName.Marker, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The instance '{instance}' cannot be a node name in the named layout (no '/', not '.' or '..', not starting with '_c_').", nameof(entry));
        }

        ZooKeeperPaths.Validate(entry.ServicePath + "/" + instance, sequential: false, nameof(entry));
        return new RegistrationTarget(entry.ServicePath, instance, CreateMode.Ephemeral);
    }
}
