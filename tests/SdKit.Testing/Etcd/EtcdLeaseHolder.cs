using System.Globalization;
using System.Text.RegularExpressions;
using SdKit.Testing.Processes;

namespace SdKit.Testing.Etcd;

/// <summary>
/// Another process that registers a key with a lease and keeps the lease alive (<c>etcdctl lease keep-alive</c>),
/// so a test can kill it with SIGKILL and watch the key vanish when the lease expires, as it does when a service
/// crashes without revoking.
/// </summary>
public sealed partial class EtcdLeaseHolder : IAsyncDisposable
{
    private readonly ServerProcess _process;

    private EtcdLeaseHolder(ServerProcess process, long leaseId)
    {
        _process = process;
        LeaseId = leaseId;
    }

    /// <summary>Gets the lease id.</summary>
    public long LeaseId { get; }

    /// <summary>Grants a lease of <paramref name="ttlSeconds"/>, puts the key with it and starts keeping the lease alive in a child process.</summary>
    public static async Task<EtcdLeaseHolder> StartAsync(EtcdCluster cluster, string key, string value, int ttlSeconds)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var granted = await cluster.Ctl.RunAsync("lease", "grant", ttlSeconds.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
        var match = LeaseGranted().Match(granted);
        if (!match.Success)
        {
            throw new InvalidOperationException($"Unexpected 'etcdctl lease grant' output: {granted}");
        }

        var hex = match.Groups[1].Value;
        await cluster.Ctl.RunAsync("put", "--lease=" + hex, key, value).ConfigureAwait(false);
        var logPath = Path.Combine(cluster.Folder, $"lease-holder-{hex}.log");
        var process = ServerProcess.Start(EtcdCtl.FileName, [.. cluster.Ctl.CommonArguments(), "lease", "keep-alive", hex], logPath);
        return new EtcdLeaseHolder(process, long.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
    }

    /// <summary>Kills the holder with SIGKILL: the lease is never revoked and expires after its TTL.</summary>
    public Task KillAsync() => _process.KillAsync();

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _process.DisposeAsync();

    [GeneratedRegex("lease ([0-9a-f]+) granted", RegexOptions.CultureInvariant)]
    private static partial Regex LeaseGranted();
}
