using System.Net;
using System.Net.Sockets;
using SdKit.Testing.Processes;
using SdKit.Testing.ZooKeeper;
using Xunit;

namespace SdKit.Testing.Peers.GoSeed;

/// <summary>
/// The world the seed's Go programs expect, exactly as they hard-code it: ZooKeeper at 127.0.0.1:2183 (the seed's
/// own value) with the persistent node <c>/go_servers</c>, and the ports 127.0.0.1:8897-8899 free for its servers.
/// </summary>
/// <remarks>
/// The programs take no arguments, so they run unchanged and the fixture gives them the fixed ports. Two test runs on
/// one machine (other worktrees, the lead's suite) would collide on those ports, so the fixture holds an exclusive
/// lock file for its whole life and waits for another holder to finish; a port taken by anything else fails the test
/// with the port's name.
/// </remarks>
public sealed class GoSeedFixture : IAsyncLifetime
{
    /// <summary>The ZooKeeper port the seed's <c>hosts</c> names.</summary>
    public const int ZooKeeperPort = 2183;

    /// <summary>The ports the seed's server listens on.</summary>
    public static readonly IReadOnlyList<int> ServerPorts = [8897, 8898, 8899];

    // A fixed folder, not TMPDIR: every test run on the machine must meet the same lock.
    private const string LockPath = "/tmp/sdkit-go-seed-ports.lock";
    private static readonly TimeSpan LockWait = TimeSpan.FromMinutes(10);
    private FileStream? _lock;
    private ZooKeeperServer? _zooKeeper;

    /// <summary>Gets the connect string of the seed's ZooKeeper.</summary>
    public string ConnectString => $"127.0.0.1:{ZooKeeperPort}";

    /// <summary>Gets the ZooKeeper server (to read its log in failure messages).</summary>
    public ZooKeeperServer ZooKeeper => _zooKeeper ?? throw new InvalidOperationException("The fixture is not initialized.");

    /// <summary>Gets the built seed programs.</summary>
    public GoSeedBinaries Programs { get; private set; } = null!;

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        Programs = await GoSeedPrograms.GetAsync().ConfigureAwait(false);
        _lock = await AcquireLockAsync().ConfigureAwait(false);
        foreach (var port in ServerPorts.Prepend(ZooKeeperPort))
        {
            EnsureFree(port);
        }

        _zooKeeper = await ZooKeeperServer.StartStandaloneAsync(ZooKeeperPort).ConfigureAwait(false);
    }

    /// <summary>Starts the seed's server; its output (one address per server, errors) goes to a log.</summary>
    public ServerProcess StartServer() => Start(Programs.Server, "go-seed-server");

    /// <summary>Starts the seed's client; it prints <c>connect host: ...</c> and each reply.</summary>
    public ServerProcess StartClient() => Start(Programs.Client, "go-seed-client");

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (_zooKeeper is not null)
        {
            await _zooKeeper.DisposeAsync().ConfigureAwait(false);
        }

        if (_lock is not null)
        {
            await _lock.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static ServerProcess Start(string program, string name)
    {
        var folder = ZooKeeperServer.CreateDirectory(name);
        return ServerProcess.Start(program, [], Path.Combine(folder, $"{name}.log"), folder);
    }

    private static async Task<FileStream> AcquireLockAsync()
    {
        // FileShare.None takes an exclusive flock on Linux: it is released when this process ends, however it ends.
        // flock offers no notification, so a held lock is tried again every half second until LockWait has passed.
        var deadline = DateTimeOffset.UtcNow + LockWait;
        while (true)
        {
            try
            {
                return new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTimeOffset.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500)).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                throw new InvalidOperationException($"Another test run has held {LockPath} (the Go seed's fixed ports {ZooKeeperPort}, {string.Join(", ", ServerPorts)}) for {LockWait.TotalMinutes} minutes.", ex);
            }
        }
    }

    private static void EnsureFree(int port)
    {
        using var probe = new TcpListener(IPAddress.Loopback, port);
        try
        {
            probe.Start();
        }
        catch (SocketException ex)
        {
            throw new InvalidOperationException($"127.0.0.1:{port} is in use, but the seed's Go programs hard-code it (ZooKeeper {ZooKeeperPort}, servers {string.Join(", ", ServerPorts)}). Stop whatever listens there (ss -ltnp 'sport = :{port}').", ex);
        }
        finally
        {
            probe.Stop();
        }
    }
}
