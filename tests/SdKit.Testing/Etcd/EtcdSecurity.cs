namespace SdKit.Testing.Etcd;

/// <summary>How a test cluster is secured: TLS with fixture-made certificates, and/or user authentication.</summary>
/// <param name="Tls">Serve clients over TLS; a client certificate signed by the fixture's CA is required unless <see cref="ClientCertificateRequired"/> is false.</param>
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

    /// <summary>
    /// Gets a value indicating whether a TLS cluster requires a client certificate (etcd's <c>--trusted-ca-file</c> with
    /// <c>--client-cert-auth</c>: etcd 3.4 asks for one whenever it has a trusted CA); true by default. Without it
    /// clients trust the server's CA and log in with a user and password only.
    /// </summary>
    public bool ClientCertificateRequired { get; init; } = true;

    /// <summary>Gets a plain cluster: no TLS, no auth.</summary>
    public static EtcdSecurity None { get; } = new(Tls: false, AuthPrefix: null);
}
