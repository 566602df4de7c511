using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace SdKit.Etcd;

/// <summary>Builds the TLS settings of the gRPC connection from the PEM files in <see cref="EtcdDiscoveryOptions"/>.</summary>
internal static class EtcdTls
{
    public static void Configure(SslClientAuthenticationOptions ssl, EtcdDiscoveryOptions options)
    {
        if (options.TrustedCaFile is { } caFile)
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(caFile);
            if (roots.Count == 0)
            {
                throw new ArgumentException($"TrustedCaFile '{caFile}' holds no PEM certificate.", nameof(options));
            }

            ssl.RemoteCertificateValidationCallback = (_, certificate, _, errors) => IsTrusted(certificate, errors, roots);
        }

        if (options.ClientCertificateFile is { } certificateFile && options.ClientKeyFile is { } keyFile)
        {
            ssl.ClientCertificates = [LoadClientCertificate(certificateFile, keyFile)];
        }
    }

    private static bool IsTrusted(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection roots)
    {
        // Host name problems are final; chain problems are expected (the CA is not in the system store) and are
        // judged again below against the configured roots only.
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var server = new X509Certificate2(certificate);
        return chain.Build(server);
    }

    private static X509Certificate2 LoadClientCertificate(string certificateFile, string keyFile, string paramName = "options")
    {
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);

            // SslStream on Linux needs the key in a form it can hand to OpenSSL; an exported PKCS#12 round trip gives that.
            return X509CertificateLoaderCompat.FromPkcs12(pem.Export(X509ContentType.Pkcs12));
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw new ArgumentException($"ClientCertificateFile '{certificateFile}' and ClientKeyFile '{keyFile}' are not a matching PEM certificate and key: {ex.Message}", paramName, ex);
        }
    }

    private static class X509CertificateLoaderCompat
    {
#if NET9_0_OR_GREATER
        public static X509Certificate2 FromPkcs12(byte[] data) => X509CertificateLoader.LoadPkcs12(data, null);
#else
        public static X509Certificate2 FromPkcs12(byte[] data) => new(data);
#endif
    }
}
