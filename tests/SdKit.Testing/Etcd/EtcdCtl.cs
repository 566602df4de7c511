using System.Diagnostics;

namespace SdKit.Testing.Etcd;

/// <summary>Runs Debian's <c>etcdctl</c> (v3 API) against a test cluster, as its root user when auth is on.</summary>
public sealed class EtcdCtl
{
    /// <summary>The hint every "cannot start" failure carries.</summary>
    public const string InstallHint = "Install etcd with scripts/install-backends.sh (apt-get install etcd-server etcd-client).";

    private readonly Func<string> _endpoints;
    private readonly EtcdCertificates? _certificates;

    internal EtcdCtl(Func<string> endpoints, EtcdCertificates? certificates)
    {
        _endpoints = endpoints;
        _certificates = certificates;
    }

    internal bool AsRoot { get; set; }

    /// <summary>Gets the path of the etcdctl binary.</summary>
    public static string FileName => File.Exists("/usr/bin/etcdctl") ? "/usr/bin/etcdctl" : "etcdctl";

    /// <summary>Returns the connection and identity options for <c>etcdctl</c>, against <paramref name="endpoints"/> or the whole cluster.</summary>
    public IReadOnlyList<string> CommonArguments(string? endpoints = null)
    {
        var arguments = new List<string> { "--endpoints", endpoints ?? _endpoints(), "--dial-timeout", "2s", "--command-timeout", "5s" };
        if (_certificates is not null)
        {
            arguments.AddRange(["--cacert", _certificates.CaFile, "--cert", _certificates.ClientCertificateFile, "--key", _certificates.ClientKeyFile]);
        }

        if (AsRoot)
        {
            arguments.AddRange(["--user", $"{EtcdSecurity.RootUser}:{EtcdSecurity.RootPassword}"]);
        }

        return arguments;
    }

    /// <summary>Runs <c>etcdctl</c> with <paramref name="arguments"/> and returns its standard output; throws with its error output on failure.</summary>
    public Task<string> RunAsync(params string[] arguments) => RunOnAsync(null, arguments);

    /// <summary>Runs <c>etcdctl</c> against <paramref name="endpoints"/> only.</summary>
    public async Task<string> RunOnAsync(string? endpoints, params string[] arguments)
    {
        var info = new ProcessStartInfo(FileName) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.Environment["ETCDCTL_API"] = "3";
        foreach (var argument in CommonArguments(endpoints).Concat(arguments))
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("Could not start etcdctl.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"Could not start etcdctl: {ex.Message}. {InstallHint}", ex);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
            var output = await stdout.ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"etcdctl {string.Join(' ', arguments)} failed with exit code {process.ExitCode}: {(await stderr.ConfigureAwait(false)).Trim()}");
            }

            return output;
        }
    }

    /// <summary>Puts <paramref name="key"/> = <paramref name="value"/>.</summary>
    public Task<string> PutAsync(string key, string value) => RunAsync("put", key, value);

    /// <summary>Returns the cluster's current revision.</summary>
    public async Task<long> RevisionAsync()
    {
        var json = await RunAsync("get", "--write-out=json", "sdkit-revision-probe").ConfigureAwait(false);
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return document.RootElement.GetProperty("header").GetProperty("revision").GetInt64();
    }

    /// <summary>Compacts the history up to the current revision (physically, so old revisions are gone).</summary>
    public async Task<long> CompactAsync()
    {
        var revision = await RevisionAsync().ConfigureAwait(false);
        await RunAsync("compact", "--physical", revision.ToString(System.Globalization.CultureInfo.InvariantCulture)).ConfigureAwait(false);
        return revision;
    }

    /// <summary>Returns the ids (decimal) of the leases granted in the cluster.</summary>
    public async Task<IReadOnlyList<long>> LeasesAsync()
    {
        var json = await RunAsync("lease", "list", "--write-out=json").ConfigureAwait(false);
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return document.RootElement.TryGetProperty("leases", out var leases) && leases.ValueKind == System.Text.Json.JsonValueKind.Array
            ? [.. leases.EnumerateArray().Select(l => l.GetProperty("id").GetInt64())]
            : [];
    }

    /// <summary>Revokes the lease <paramref name="leaseId"/> (which deletes every key attached to it).</summary>
    public Task<string> RevokeAsync(long leaseId) => RunAsync("lease", "revoke", leaseId.ToString("x", System.Globalization.CultureInfo.InvariantCulture));
}
