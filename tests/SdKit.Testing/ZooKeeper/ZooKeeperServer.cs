using System.Globalization;
using SdKit.Testing.Network;
using SdKit.Testing.Processes;

namespace SdKit.Testing.ZooKeeper;

/// <summary>
/// One ZooKeeper server on 127.0.0.1 with a free port and a temporary data folder: standalone (ZooKeeperServerMain) or
/// a member of an ensemble (QuorumPeerMain). tickTime is 200 ms, so sessions may be 400 ms to 4 s.
/// </summary>
public sealed class ZooKeeperServer : IAsyncDisposable
{
    /// <summary>The tick time the test servers use.</summary>
    public const int TickTimeMs = 200;

    private readonly string _mainClass;
    private readonly string _configPath;
    private ServerProcess? _process;

    private ZooKeeperServer(int myId, int port, string directory, string mainClass, string configPath, bool readOnlyMode = false)
    {
        ReadOnlyMode = readOnlyMode;
        MyId = myId;
        Port = port;
        Directory = directory;
        _mainClass = mainClass;
        _configPath = configPath;
    }

    /// <summary>Gets the server id (0 for a standalone server).</summary>
    public int MyId { get; }

    /// <summary>Gets the client port.</summary>
    public int Port { get; }

    /// <summary>Gets the folder holding the config, data and log.</summary>
    public string Directory { get; }

    /// <summary>Gets a value indicating whether the server starts with <c>readonlymode.enabled</c> (serves reads without a quorum).</summary>
    public bool ReadOnlyMode { get; }

    /// <summary>Gets the connect string of this server alone.</summary>
    public string ConnectString => $"127.0.0.1:{Port}";

    /// <summary>Gets the server process (to pause or kill it).</summary>
    public ServerProcess Process => _process ?? throw new InvalidOperationException($"The ZooKeeper server on port {Port} is not running.");

    /// <summary>Gets a value indicating whether the process is running.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts a standalone server and waits until it answers <c>ruok</c>.</summary>
    /// <param name="port">
    /// The client port; <see langword="null"/> for a free one. Only a peer program that hard-codes its ZooKeeper
    /// address needs a fixed port (the Go seed: 2183), and its fixture guards that port against other test runs.
    /// </param>
    public static async Task<ZooKeeperServer> StartStandaloneAsync(int? port = null)
    {
        var directory = CreateDirectory("zk-standalone");
        port ??= FreePort.Next();
        var config = Path.Combine(directory, "zoo.cfg");
        await File.WriteAllTextAsync(config, BaseConfig(directory, port.Value)).ConfigureAwait(false);
        var server = new ZooKeeperServer(0, port.Value, directory, "org.apache.zookeeper.server.ZooKeeperServerMain", config);
        await server.StartAsync().ConfigureAwait(false);
        await server.WaitUntilServingAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        return server;
    }

    /// <summary>Creates (without starting) member <paramref name="myId"/> of an ensemble described by <paramref name="members"/>.</summary>
    internal static async Task<ZooKeeperServer> CreateMemberAsync(int myId, int port, string membersConfig, string parent, bool readOnlyMode = false, bool localSessions = false)
    {
        var directory = Path.Combine(parent, $"server{myId}");
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "data"));
        await File.WriteAllTextAsync(Path.Combine(directory, "data", "myid"), myId.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
        var config = Path.Combine(directory, "zoo.cfg");
        // A read-only server (3.8) refuses to resume global sessions and to create new ones; it serves local sessions
        // only. Upgrading lets a local session that creates an ephemeral node become global, as registrations need.
        var sessions = localSessions ? "localSessionsEnabled=true\nlocalSessionsUpgradingEnabled=true\n" : string.Empty;
        await File.WriteAllTextAsync(config, BaseConfig(directory, port) + "initLimit=50\nsyncLimit=25\n" + sessions + membersConfig).ConfigureAwait(false);
        return new ZooKeeperServer(myId, port, directory, "org.apache.zookeeper.server.quorum.QuorumPeerMain", config, readOnlyMode);
    }

    internal static string CreateDirectory(string prefix)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"sdkit-{prefix}-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(directory);
        return directory;
    }

    /// <summary>Starts the process (again, after a kill) with the same data and port.</summary>
    public Task StartAsync()
    {
        if (IsRunning)
        {
            return Task.CompletedTask;
        }

        var options = ZooKeeperInstallation.JvmOptions(Directory);
        if (ReadOnlyMode)
        {
            options = options.Append(ZooKeeperInstallation.ReadOnlyModeOption);
        }

        var arguments = options.Concat(["-cp", ZooKeeperInstallation.ClassPath(), _mainClass, _configPath]);
        _process = ServerProcess.Start(ZooKeeperInstallation.Java, arguments, Path.Combine(Directory, "server.log"), Directory);
        return Task.CompletedTask;
    }

    /// <summary>Waits until the server answers <c>ruok</c> with <c>imok</c>; fails with the log tail otherwise.</summary>
    public async Task WaitUntilServingAsync(TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (DateTimeOffset.UtcNow < deadline)
        {
            if (_process is { HasExited: true })
            {
                throw Failure("exited during startup");
            }

            if (await FourLetterWord.TrySendAsync(Port, "ruok", TimeSpan.FromSeconds(2)).ConfigureAwait(false) == "imok")
            {
                return;
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        throw Failure($"did not answer 'ruok' within {timeout.TotalSeconds:0} s");
    }

    /// <summary>Returns the server's mode from <c>srvr</c> (standalone, leader, follower, read-only), or <see langword="null"/>.</summary>
    public async Task<string?> ModeAsync()
    {
        var reply = await FourLetterWord.TrySendAsync(Port, "srvr", TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        var line = reply?.Split('\n').FirstOrDefault(l => l.StartsWith("Mode:", StringComparison.Ordinal));
        return line?["Mode:".Length..].Trim();
    }

    /// <summary>Kills the server with SIGKILL.</summary>
    public async Task KillAsync()
    {
        if (_process is { } process)
        {
            await process.DisposeAsync().ConfigureAwait(false);
            _process = null;
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await KillAsync().ConfigureAwait(false);
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is harmless.
        }
    }

    internal InvalidOperationException Failure(string what)
        => new($"The ZooKeeper server on port {Port} {what}. {ZooKeeperInstallation.InstallHint}\nLog tail ({Path.Combine(Directory, "server.log")}):\n{_process?.Tail(30) ?? "(not started)"}");

    private static string BaseConfig(string directory, int port) =>
        $"""
        tickTime={TickTimeMs}
        dataDir={Path.Combine(directory, "data")}
        clientPort={port}
        clientPortAddress=127.0.0.1
        maxClientCnxns=0
        4lw.commands.whitelist=*
        admin.enableServer=false
        autopurge.purgeInterval=0

        """;
}
