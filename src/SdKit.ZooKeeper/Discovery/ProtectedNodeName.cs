namespace SdKit.ZooKeeper.Discovery;

/// <summary>
/// The protected node name of go-kit (go-zookeeper) and Curator: <c>_c_</c>, 32 lowercase hex characters of a GUID,
/// <c>-</c>, then the 10-digit sequence the server appends. The GUID is what lets a create whose reply was lost find
/// its node.
/// </summary>
internal static class ProtectedNodeName
{
    /// <summary>The prefix every protected node name starts with.</summary>
    public const string Marker = "_c_";

    /// <summary>Returns the name prefix for <paramref name="id"/>: <c>_c_&lt;32 hex&gt;-</c>.</summary>
    public static string Prefix(Guid id) => $"{Marker}{id:N}-";

    /// <summary>Returns the child of <paramref name="children"/> created with <paramref name="prefix"/>, or <see langword="null"/>.</summary>
    public static string? Find(IEnumerable<string> children, string prefix)
        => children.FirstOrDefault(child => child.Length == prefix.Length + 10 && child.StartsWith(prefix, StringComparison.Ordinal));
}
