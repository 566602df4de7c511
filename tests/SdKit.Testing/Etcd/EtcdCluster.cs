using System.Diagnostics;
using SdKit.Testing.Network;

namespace SdKit.Testing.Etcd;

/// <summary>
/// A real etcd cluster for tests: one or more members of Debian's etcd on free loopback ports with temporary data
/// folders, optionally with TLS (certificates made by openssl) and auth (a user limited to a prefix).
/// </summary>
/// <remarks>
/// Timings are short so that fault tests run quickly: heartbeat 50 ms and election timeout 500 ms, which also lowers
/// etcd's minimum lease TTL to about one second. A cluster that cannot start fails with the log tail and the
/// install hint; it never skips.
/// </remarks>
public sealed class EtcdCluster : IAsyncDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(30);

    private EtcdCluster(string folder, IReadOnlyList<EtcdMember> members, EtcdSecurity security, EtcdCertificates? certificates)
    {
        Folder = folder;
        Members = members;
        Security = security;
        Certificates = certificates;
        Ctl = new EtcdCtl(() => Endpoints, certificates);
    }

    /// <summary>Gets the temporary folder holding data, logs and certificates.</summary>
    public string Folder { get; }

    /// <summary>Gets the members.</summary>
    public IReadOnlyList<EtcdMember> Members { get; }

    /// <summary>Gets how the cluster is secured.</summary>
    public EtcdSecurity Security { get; }

    /// <summary>Gets the certificates when the cluster serves TLS.</summary>
    public EtcdCertificates? Certificates { get; }

    /// <summary>Gets an etcdctl runner against the cluster (as root once auth is on).</summary>
    public EtcdCtl Ctl { get; }

    /// <summary>Gets the client URLs of every member, comma-separated.</summary>
    public string Endpoints => string.Join(',', Members.Select(m => m.ClientUrl));

    /// <summary>Gets the client URLs of every member.</summary>
    public IReadOnlyList<string> EndpointList => [.. Members.Select(m => m.ClientUrl)];

    /// <summary>Starts a cluster of <paramref name="size"/> members and waits until every member is healthy.</summary>
    /// <param name="size">The number of members.</param>
    /// <param name="security">TLS and auth; none by default.</param>
    /// <param name="extraArguments">More etcd flags for every member, for example <c>--auth-token-ttl 1</c>.</param>
    public static async Task<EtcdCluster> StartAsync(int size = 1, EtcdSecurity? security = null, IReadOnlyList<string>? extraArguments = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        security ??= EtcdSecurity.None;
        var folder = Path.Combine(Path.GetTempPath(), "sdkit-etcd-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        var certificates = security.Tls ? await EtcdCertificates.CreateAsync(Path.Combine(folder, "tls")).ConfigureAwait(false) : null;
        var scheme = security.Tls ? "https" : "http";
        var members = Enumerable.Range(0, size).Select(i => new EtcdMember($"m{i}", FreePort.Next(), FreePort.Next(), folder, scheme)).ToList();
        var initialCluster = string.Join(',', members.Select(m => $"{m.Name}={m.PeerUrl}"));
        var token = "sdkit-" + Guid.NewGuid().ToString("N")[..8];
        foreach (var member in members)
        {
            var arguments = new List<string>
            {
                "--name", member.Name, "--data-dir", member.DataDirectory,
                "--listen-client-urls", member.ClientUrl, "--advertise-client-urls", member.ClientUrl,
                "--listen-peer-urls", member.PeerUrl, "--initial-advertise-peer-urls", member.PeerUrl,
                "--initial-cluster", initialCluster, "--initial-cluster-state", "new", "--initial-cluster-token", token,
                "--heartbeat-interval", "50", "--election-timeout", "500",
            };
            if (certificates is not null)
            {
                arguments.AddRange(["--cert-file", certificates.ServerCertificateFile, "--key-file", certificates.ServerKeyFile]);
                if (security.ClientCertificateRequired)
                {
                    arguments.AddRange(["--trusted-ca-file", certificates.CaFile, "--client-cert-auth"]);
                }
            }

            arguments.AddRange(extraArguments ?? []);
            member.Arguments = arguments;
        }

        var cluster = new EtcdCluster(folder, members, security, certificates);
        try
        {
            foreach (var member in members)
            {
                member.Start();
            }

            foreach (var member in members)
            {
                await cluster.WaitHealthyAsync(member).ConfigureAwait(false);
            }

            if (security.AuthPrefix is not null)
            {
                await cluster.EnableAuthAsync(security.AuthPrefix).ConfigureAwait(false);
            }
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return cluster;
    }

    /// <summary>Starts a member that was killed, on the same ports and data folder, and waits until it is healthy.</summary>
    public async Task RestartAsync(EtcdMember member)
    {
        ArgumentNullException.ThrowIfNull(member);
        member.Start();
        await WaitHealthyAsync(member).ConfigureAwait(false);
    }

    /// <summary>Waits until <paramref name="member"/> answers a health check; fails with its log tail otherwise.</summary>
    public async Task WaitHealthyAsync(EtcdMember member)
    {
        ArgumentNullException.ThrowIfNull(member);
        var clock = Stopwatch.StartNew();
        string lastError = "(no attempt)";
        while (clock.Elapsed < s_startTimeout)
        {
            if (!member.IsRunning)
            {
                throw new InvalidOperationException($"etcd member {member.Name} exited during start-up. {EtcdCtl.InstallHint}\nLog tail of {member.LogPath}:\n{member.Tail()}");
            }

            try
            {
                await Ctl.RunOnAsync(member.ClientUrl, "endpoint", "health").ConfigureAwait(false);
                return;
            }
            catch (InvalidOperationException ex) when (!ex.Message.StartsWith("Could not start", StringComparison.Ordinal))
            {
                lastError = ex.Message;
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        throw new InvalidOperationException($"etcd member {member.Name} at {member.ClientUrl} was not healthy within {s_startTimeout.TotalSeconds:0} s (last check: {lastError}). {EtcdCtl.InstallHint}\nLog tail of {member.LogPath}:\n{member.Tail()}");
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        foreach (var member in Members)
        {
            await member.DisposeAsync().ConfigureAwait(false);
        }

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A member's late log line can race the delete; the temporary folder is then left for the OS to clean.
        }
    }

    private async Task EnableAuthAsync(string prefix)
    {
        const string role = "sdkit-role";
        await Ctl.RunAsync("user", "add", $"{EtcdSecurity.RootUser}:{EtcdSecurity.RootPassword}").ConfigureAwait(false);
        await Ctl.RunAsync("role", "add", role).ConfigureAwait(false);
        await Ctl.RunAsync("role", "grant-permission", role, "--prefix=true", "readwrite", prefix).ConfigureAwait(false);
        await Ctl.RunAsync("user", "add", $"{EtcdSecurity.User}:{EtcdSecurity.Password}").ConfigureAwait(false);
        await Ctl.RunAsync("user", "grant-role", EtcdSecurity.User, role).ConfigureAwait(false);
        await Ctl.RunAsync("auth", "enable").ConfigureAwait(false);
        Ctl.AsRoot = true;
    }
}
