using System.Net.Security;
using System.Security.Authentication;
using Grpc.Core;
using SdKit.Client;
using SdKit.Etcd;

namespace SdKit.Cli.Backends;

/// <summary>
/// Rewords etcd client failures in the tool's terms: its option names rather than the library's property names, and
/// which file to check when TLS fails (the library's message lists the .NET exception chain, which does not say).
/// </summary>
internal static class EtcdWording
{
    private static readonly (string Property, string Option)[] s_options =
    [
        (nameof(EtcdDiscoveryOptions.TrustedCaFile), "--etcd-ca"),
        (nameof(EtcdDiscoveryOptions.ClientCertificateFile), "--etcd-cert"),
        (nameof(EtcdDiscoveryOptions.ClientKeyFile), "--etcd-key"),
        ($"{nameof(EtcdDiscoveryOptions.Username)} and {nameof(EtcdDiscoveryOptions.Password)}", "--etcd-user and --etcd-password"),
    ];

    /// <summary>Returns <paramref name="message"/> with the etcd options' properties (TLS files, user and password) named as the tool's options.</summary>
    public static string WithOptionNames(string message)
    {
        foreach (var (property, option) in s_options)
        {
            message = message.Replace(property, option, StringComparison.Ordinal);
        }

        return message;
    }

    /// <summary>Says what to check when setting up TLS with etcd failed; null when <paramref name="reason"/> is not such a failure.</summary>
    public static string? TlsFailure(DiscoveryException reason, BackendSettings settings)
    {
        if (reason is not EtcdException)
        {
            return null;
        }

        var causes = Causes(reason).ToList();
        if (causes.OfType<AuthenticationException>().FirstOrDefault() is { } refused)
        {
            // .NET words a rejected server certificate "The remote certificate ..."; anything else is the handshake itself.
            var serverCertificate = refused.Message.Contains("remote certificate", StringComparison.OrdinalIgnoreCase);
            return (serverCertificate, settings.EtcdCa) switch
            {
                (true, null) => $"TLS failed: the server's certificate is not trusted; pass the CA that signed it with --etcd-ca ({refused.Message})",
                (true, { } ca) => $"TLS failed: the server's certificate was not accepted; it must be signed by the CA in --etcd-ca ({ca}) and name the host in --etcd ({refused.Message})",
                _ => $"TLS failed: {refused.Message} (check --etcd-ca, --etcd-cert and --etcd-key)",
            };
        }

        // With TLS 1.3 a server that refuses the client's certificate (or its absence) closes the connection after the
        // handshake: the client only sees its TLS stream go away before the HTTP/2 preface.
        if (causes.OfType<ObjectDisposedException>().Any(e => e.ObjectName == typeof(SslStream).FullName))
        {
            return settings.EtcdCert is null
                ? "TLS failed: the server closed the connection while setting it up; it may require a client certificate (--etcd-cert and --etcd-key)"
                : $"TLS failed: the server closed the connection while setting it up; it may not accept the client certificate in --etcd-cert ({settings.EtcdCert})";
        }

        return null;
    }

    /// <summary>
    /// Rewords an etcd failure that is not about TLS: the tool's option names, and when etcd denied a request without
    /// an <c>--etcd-user</c>, that none was given (the library's message then names the user '').
    /// </summary>
    public static string Other(DiscoveryException reason, BackendSettings settings)
    {
        var message = WithOptionNames(reason.Message);
        if (settings.EtcdUser is null && Causes(reason).OfType<RpcException>().Any(e => e.StatusCode == StatusCode.PermissionDenied))
        {
            // etcd with a required client certificate goes by its common name when no user logs in.
            message += settings.EtcdCert is null
                ? " (no --etcd-user given)"
                : " (no --etcd-user given: etcd goes by the common name of the client certificate)";
        }

        return message;
    }

    /// <summary>The exception and all its causes, including the one gRPC keeps apart as the status's debug exception.</summary>
    private static IEnumerable<Exception> Causes(Exception exception)
    {
        var pending = new Stack<Exception>([exception]);
        while (pending.TryPop(out var current))
        {
            yield return current;
            if (current.InnerException is { } inner)
            {
                pending.Push(inner);
            }

            if (current is RpcException { Status.DebugException: { } debug })
            {
                pending.Push(debug);
            }

            if (current is AggregateException aggregate)
            {
                foreach (var each in aggregate.InnerExceptions)
                {
                    pending.Push(each);
                }
            }
        }
    }
}
