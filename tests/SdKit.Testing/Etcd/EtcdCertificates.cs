using System.Diagnostics;

namespace SdKit.Testing.Etcd;

/// <summary>
/// Certificates made on the fly with openssl for a TLS test cluster: a CA, a server certificate for 127.0.0.1 and
/// a client certificate, all as PEM files in one folder.
/// </summary>
public sealed class EtcdCertificates
{
    private EtcdCertificates(string folder) => Folder = folder;

    /// <summary>Gets the folder holding the PEM files.</summary>
    public string Folder { get; }

    /// <summary>Gets the CA certificate that signed the server and client certificates.</summary>
    public string CaFile => Path.Combine(Folder, "ca.crt");

    /// <summary>Gets the server certificate (subject alternative name IP 127.0.0.1).</summary>
    public string ServerCertificateFile => Path.Combine(Folder, "server.crt");

    /// <summary>Gets the server's private key.</summary>
    public string ServerKeyFile => Path.Combine(Folder, "server.key");

    /// <summary>Gets the client certificate.</summary>
    public string ClientCertificateFile => Path.Combine(Folder, "client.crt");

    /// <summary>Gets the client's private key.</summary>
    public string ClientKeyFile => Path.Combine(Folder, "client.key");

    /// <summary>Gets a second CA, unrelated to the cluster: a client trusting only it must refuse the server.</summary>
    public string OtherCaFile => Path.Combine(Folder, "other-ca.crt");

    /// <summary>Creates the certificates in <paramref name="folder"/> with openssl (ECDSA P-256, valid two days).</summary>
    public static async Task<EtcdCertificates> CreateAsync(string folder)
    {
        Directory.CreateDirectory(folder);
        var certificates = new EtcdCertificates(folder);
        string[] newKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2"];
        await OpenSslAsync(folder, ["req", "-x509", .. newKey, "-keyout", "ca.key", "-out", "ca.crt", "-subj", "/CN=SdKit Test CA"]).ConfigureAwait(false);
        await OpenSslAsync(folder, ["req", "-x509", .. newKey, "-keyout", "other-ca.key", "-out", "other-ca.crt", "-subj", "/CN=SdKit Other CA"]).ConfigureAwait(false);
        await OpenSslAsync(folder, ["req", "-x509", .. newKey, "-keyout", "server.key", "-out", "server.crt", "-subj", "/CN=127.0.0.1",
            "-CA", "ca.crt", "-CAkey", "ca.key", "-addext", "subjectAltName=IP:127.0.0.1", "-addext", "extendedKeyUsage=serverAuth,clientAuth",
            "-addext", "basicConstraints=critical,CA:FALSE"]).ConfigureAwait(false);
        await OpenSslAsync(folder, ["req", "-x509", .. newKey, "-keyout", "client.key", "-out", "client.crt", "-subj", "/CN=sdkit-client",
            "-CA", "ca.crt", "-CAkey", "ca.key", "-addext", "extendedKeyUsage=clientAuth", "-addext", "basicConstraints=critical,CA:FALSE"]).ConfigureAwait(false);
        return certificates;
    }

    private static async Task OpenSslAsync(string folder, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo("openssl") { WorkingDirectory = folder, RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("Could not start openssl.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"Could not start openssl to make test certificates: {ex.Message}. Install it with scripts/install-backends.sh (apt-get install openssl).", ex);
        }

        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            _ = await process.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"openssl {string.Join(' ', info.ArgumentList)} failed with exit code {process.ExitCode}: {await stderr.ConfigureAwait(false)}");
            }
        }
    }
}
