using System.Text;

namespace SdKit.ZooKeeper.Client;

/// <summary>Credentials sent with an auth packet after every (re)connect: a scheme and its scheme-specific bytes.</summary>
/// <param name="Scheme">The authentication scheme, for example <c>digest</c>.</param>
/// <param name="Auth">The credentials, for example the ASCII bytes of <c>user:password</c>.</param>
public sealed record ZooKeeperAuthInfo(string Scheme, ReadOnlyMemory<byte> Auth)
{
    /// <summary>Creates <c>digest</c> credentials for a user and password (keep both ASCII: the server decodes them with its default charset).</summary>
    /// <param name="user">The user name (no ':').</param>
    /// <param name="password">The password.</param>
    /// <returns>The credentials.</returns>
    public static ZooKeeperAuthInfo Digest(string user, string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        ArgumentNullException.ThrowIfNull(password);
        if (user.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The digest user '{user}' must not contain ':'.", nameof(user));
        }

        return new ZooKeeperAuthInfo("digest", Encoding.UTF8.GetBytes(user + ":" + password));
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Scheme}:<{Auth.Length} bytes>";
}
