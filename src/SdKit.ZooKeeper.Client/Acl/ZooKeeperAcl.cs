using System.Security.Cryptography;
using System.Text;

namespace SdKit.ZooKeeper.Client;

/// <summary>One ACL entry: permissions granted to an identity (<c>scheme:id</c>).</summary>
/// <param name="Permissions">The permissions granted.</param>
/// <param name="Scheme">The scheme: <c>world</c>, <c>auth</c>, <c>digest</c>, <c>ip</c>, ...</param>
/// <param name="Id">The identity within the scheme, for example <c>anyone</c> or <c>alice:base64(sha1)</c>.</param>
public readonly record struct ZooKeeperAcl(ZooKeeperPermissions Permissions, string Scheme, string Id)
{
    /// <summary>Gets the ACL list that gives everyone every permission (<c>world:anyone</c>, ALL): ZooKeeper's OPEN_ACL_UNSAFE.</summary>
    public static IReadOnlyList<ZooKeeperAcl> OpenUnsafe { get; } = [new(ZooKeeperPermissions.All, "world", "anyone")];

    /// <summary>Gets the ACL list that lets everyone read (<c>world:anyone</c>, READ).</summary>
    public static IReadOnlyList<ZooKeeperAcl> ReadUnsafe { get; } = [new(ZooKeeperPermissions.Read, "world", "anyone")];

    /// <summary>Gets the ACL list that gives every permission to the identities the session authenticated as (<c>auth:</c>).</summary>
    public static IReadOnlyList<ZooKeeperAcl> CreatorAll { get; } = [new(ZooKeeperPermissions.All, "auth", string.Empty)];

    /// <summary>Creates a <c>digest</c> ACL entry for a user and password: the id is <c>user:base64(sha1("user:password"))</c>.</summary>
    /// <param name="user">The user name (ASCII, no ':').</param>
    /// <param name="password">The password.</param>
    /// <param name="permissions">The permissions to grant.</param>
    /// <returns>The ACL entry.</returns>
    public static ZooKeeperAcl Digest(string user, string password, ZooKeeperPermissions permissions)
        => new(permissions, "digest", DigestId(user, password));

    /// <summary>Computes the <c>digest</c> scheme id of a user and password, as the server does.</summary>
    /// <param name="user">The user name (ASCII, no ':').</param>
    /// <param name="password">The password.</param>
    /// <returns><c>user:base64(sha1("user:password"))</c>.</returns>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms", Justification = "ZooKeeper's digest scheme is defined as SHA-1.")]
    public static string DigestId(string user, string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        ArgumentNullException.ThrowIfNull(password);
        if (user.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The digest user '{user}' must not contain ':'.", nameof(user));
        }

        var hash = SHA1.HashData(Encoding.UTF8.GetBytes(user + ":" + password));
        return user + ":" + Convert.ToBase64String(hash);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Scheme}:{Id}={Permissions}";
}
