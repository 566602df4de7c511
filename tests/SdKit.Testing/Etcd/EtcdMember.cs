using System.Globalization;
using SdKit.Testing.Processes;

namespace SdKit.Testing.Etcd;

/// <summary>One member of a test cluster: Debian's etcd on loopback ports with its own data folder.</summary>
public sealed class EtcdMember : IAsyncDisposable
{
    private ServerProcess? _process;

    internal EtcdMember(string name, int clientPort, int peerPort, string dataRoot, string scheme)
    {
        Name = name;
        ClientPort = clientPort;
        PeerPort = peerPort;
        ClientUrl = $"{scheme}://127.0.0.1:{clientPort.ToString(CultureInfo.InvariantCulture)}";
        PeerUrl = $"http://127.0.0.1:{peerPort.ToString(CultureInfo.InvariantCulture)}";
        DataDirectory = Path.Combine(dataRoot, name);
        LogPath = Path.Combine(dataRoot, name + ".log");
    }

    /// <summary>Gets the member name (<c>m0</c>, <c>m1</c>, ...).</summary>
    public string Name { get; }

    /// <summary>Gets the client port on 127.0.0.1.</summary>
    public int ClientPort { get; }

    /// <summary>Gets the peer port on 127.0.0.1.</summary>
    public int PeerPort { get; }

    /// <summary>Gets the client URL, for example <c>http://127.0.0.1:40123</c>.</summary>
    public string ClientUrl { get; }

    /// <summary>Gets the peer URL.</summary>
    public string PeerUrl { get; }

    /// <summary>Gets the member's data folder.</summary>
    public string DataDirectory { get; }

    /// <summary>Gets the member's log file.</summary>
    public string LogPath { get; }

    /// <summary>Gets a value indicating whether the member's process is running (possibly paused).</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Gets the binary the fixtures start.</summary>
    public static string FileName => File.Exists("/usr/bin/etcd") ? "/usr/bin/etcd" : "etcd";

    /// <summary>Returns the last lines of the member's log, for failure messages.</summary>
    public string Tail(int lines = 30) => _process?.Tail(lines) ?? (File.Exists(LogPath) ? string.Join('\n', File.ReadLines(LogPath).TakeLast(lines)) : "(no log)");

    /// <summary>
    /// Stops the member with SIGSTOP (its sockets stay open but it answers nothing) and returns once the kernel reports
    /// the process stopped: the signal is asynchronous, and a busy machine can run the member for a moment after it.
    /// </summary>
    public void Pause()
    {
        Process.Pause();
        var statPath = $"/proc/{Process.Id.ToString(CultureInfo.InvariantCulture)}/stat";
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            try
            {
                // Field 3 of /proc/<pid>/stat, after the parenthesised command name, is the state: 'T' when stopped.
                var stat = File.ReadAllText(statPath);
                var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
                if (state is "T" or "t")
                {
                    return;
                }
            }
            catch (IOException)
            {
                return;
            }

            Thread.Sleep(1);
        }

        throw new InvalidOperationException($"etcd member {Name} did not stop within 5 s of SIGSTOP.");
    }

    /// <summary>Resumes a paused member.</summary>
    public void Resume() => Process.Resume();

    /// <summary>Kills the member with SIGKILL (no clean shutdown); its data folder stays for a restart.</summary>
    public async Task KillAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync().ConfigureAwait(false);
            _process = null;
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync() => await KillAsync().ConfigureAwait(false);

    internal IReadOnlyList<string> Arguments { get; set; } = [];

    internal void Start()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"etcd member {Name} is already running.");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(LogPath)!);
        _process = ServerProcess.Start(FileName, Arguments, LogPath);
    }

    private ServerProcess Process => _process ?? throw new InvalidOperationException($"etcd member {Name} is not running.");
}
