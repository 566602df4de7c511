using System.Text;
using SdKit.Testing.Network;

namespace SdKit.Testing.ZooKeeper;

/// <summary>Three ZooKeeper servers on loopback forming one ensemble, for failover tests.</summary>
public sealed class ZooKeeperEnsemble : IAsyncDisposable
{
    private readonly string _directory;

    private ZooKeeperEnsemble(string directory, IReadOnlyList<ZooKeeperServer> servers)
    {
        _directory = directory;
        Servers = servers;
    }

    /// <summary>Gets the members.</summary>
    public IReadOnlyList<ZooKeeperServer> Servers { get; }

    /// <summary>Gets the connect string naming every member.</summary>
    public string ConnectString => string.Join(',', Servers.Select(s => s.ConnectString));

    /// <summary>Starts <paramref name="size"/> members and waits until all serve and one is the leader.</summary>
    /// <param name="size">The number of members.</param>
    /// <param name="readOnlyMode">
    /// Starts every member with <c>-Dreadonlymode.enabled=true</c>, so that a member that loses its quorum serves reads
    /// (to clients that allow it) instead of closing every connection. Off by default.
    /// </param>
    /// <param name="localSessions">
    /// Sets <c>localSessionsEnabled</c> and <c>localSessionsUpgradingEnabled</c>: a 3.8 read-only member serves only
    /// new local sessions (it refuses to resume global sessions and to create new ones). Off by default.
    /// </param>
    public static async Task<ZooKeeperEnsemble> StartAsync(int size = 3, bool readOnlyMode = false, bool localSessions = false)
    {
        var directory = ZooKeeperServer.CreateDirectory("zk-ensemble");
        var clientPorts = Enumerable.Range(0, size).Select(_ => FreePort.Next()).ToArray();
        var members = new StringBuilder();
        for (var id = 1; id <= size; id++)
        {
            members.Append($"server.{id}=127.0.0.1:{FreePort.Next()}:{FreePort.Next()}\n");
        }

        var servers = new List<ZooKeeperServer>();
        for (var id = 1; id <= size; id++)
        {
            servers.Add(await ZooKeeperServer.CreateMemberAsync(id, clientPorts[id - 1], members.ToString(), directory, readOnlyMode, localSessions).ConfigureAwait(false));
        }

        var ensemble = new ZooKeeperEnsemble(directory, servers);
        try
        {
            foreach (var server in servers)
            {
                await server.StartAsync().ConfigureAwait(false);
            }

            await ensemble.WaitForQuorumAsync(TimeSpan.FromSeconds(90)).ConfigureAwait(false);
        }
        catch
        {
            await ensemble.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return ensemble;
    }

    /// <summary>Waits until every running member answers <c>ruok</c> and serves as leader or follower.</summary>
    public async Task WaitForQuorumAsync(TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        foreach (var server in Servers.Where(s => s.IsRunning))
        {
            await server.WaitUntilServingAsync(deadline - DateTimeOffset.UtcNow).ConfigureAwait(false);
        }

        while (DateTimeOffset.UtcNow < deadline)
        {
            var modes = new List<string?>();
            foreach (var server in Servers.Where(s => s.IsRunning))
            {
                modes.Add(await server.ModeAsync().ConfigureAwait(false));
            }

            if (modes.Count(m => m == "leader") == 1 && modes.All(m => m is "leader" or "follower"))
            {
                return;
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        throw Servers[0].Failure($"ensemble found no leader within {timeout.TotalSeconds:0} s");
    }

    /// <summary>Returns the member listening on <paramref name="port"/>.</summary>
    public ZooKeeperServer ByPort(int port) => Servers.Single(s => s.Port == port);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        foreach (var server in Servers)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is harmless.
        }
    }
}
