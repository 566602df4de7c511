using SdKit.Testing.Etcd;

namespace SdKit.Cli.Tests.Support;

/// <summary>
/// A single member serving TLS without requiring a client certificate, with auth on and a user limited to
/// <see cref="Prefix"/>: the common set-up where a client trusts the CA and logs in with a user and password.
/// </summary>
public sealed class EtcdTlsPasswordFixture : EtcdClusterFixture
{
    /// <summary>The prefix the test user may read and write.</summary>
    public const string Prefix = "/secure/";

    /// <inheritdoc/>
    protected override int Size => 1;

    /// <inheritdoc/>
    protected override EtcdSecurity Security { get; } = new(Tls: true, AuthPrefix: Prefix) { ClientCertificateRequired = false };
}
