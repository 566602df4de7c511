namespace SdKit.Testing.Etcd;

/// <summary>How a test cluster is secured: TLS with fixture-made certificates, and/or user authentication.</summary>
/// <param name="Tls">Serve clients over TLS and require a client certificate signed by the fixture's CA.</param>
/// <param name="AuthPrefix">When set, enable auth with a user whose role may only read and write keys under this prefix.</param>
public sealed record EtcdSecurity(bool Tls, string? AuthPrefix)
{
    /// <summary>Gets the root user's name (full rights; used by the fixture's own administration).</summary>
    public const string RootUser = "root";

    /// <summary>Gets the root user's password.</summary>
    public const string RootPassword = "root-secret";

    /// <summary>Gets the name of the user limited to <see cref="AuthPrefix"/>.</summary>
    public const string User = "sdkit";

    /// <summary>Gets the password of <see cref="User"/>.</summary>
    public const string Password = "sdkit-secret";

    /// <summary>Gets a plain cluster: no TLS, no auth.</summary>
    public static EtcdSecurity None { get; } = new(Tls: false, AuthPrefix: null);
}
