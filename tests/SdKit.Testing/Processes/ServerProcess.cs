using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace SdKit.Testing.Processes;

/// <summary>
/// A registry server process started by a fixture: its output goes to a log file (kept for failure messages),
/// and it can be killed, paused (SIGSTOP) and resumed (SIGCONT) for fault tests.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private const int SigKill = 9;
    private const int SigTerm = 15;
    private const int SigCont = 18;
    private const int SigStop = 19;

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _logLock = new();
    private readonly List<LineCount> _counts = [];

    private ServerProcess(Process process, string logPath, StreamWriter log)
    {
        _process = process;
        LogPath = logPath;
        _log = log;
    }

    /// <summary>Gets the file the process's standard output and error are written to.</summary>
    public string LogPath { get; }

    /// <summary>Gets the process id.</summary>
    public int Id => _process.Id;

    /// <summary>Gets a value indicating whether the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Starts <paramref name="fileName"/> with <paramref name="arguments"/>, logging to <paramref name="logPath"/>.</summary>
    public static ServerProcess Start(string fileName, IEnumerable<string> arguments, string logPath, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(logPath)!,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                info.Environment[key] = value;
            }
        }

        var log = new StreamWriter(new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite), Encoding.UTF8) { AutoFlush = true };
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start '{fileName}'.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            log.Dispose();
            throw new InvalidOperationException($"Could not start '{fileName}': {ex.Message}. Install the registry servers with scripts/install-backends.sh (apt-get install zookeeper etcd-server etcd-client).", ex);
        }

        var server = new ServerProcess(process, logPath, log);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Starts counting the output lines that contain <paramref name="text"/>, from now on.</summary>
    /// <param name="text">The text to look for (ordinal).</param>
    /// <returns>The count, which a test can await.</returns>
    public LineCount CountLines(string text)
    {
        var count = new LineCount(text);
        lock (_logLock)
        {
            _counts.Add(count);
        }

        return count;
    }

    /// <summary>Returns the last <paramref name="lines"/> lines of the log, for failure messages.</summary>
    public string Tail(int lines = 40)
    {
        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var all = reader.ReadToEnd().Split('\n');
            return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
        }
        catch (IOException ex)
        {
            return $"(log unreadable: {ex.Message})";
        }
    }

    /// <summary>Kills the process with SIGKILL (no clean shutdown) and waits for it to exit.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _ = kill(_process.Id, SigKill);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }
    }

    /// <summary>Asks the process to stop with SIGTERM (a clean shutdown) and waits for it to exit; returns its exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        Signal(SigTerm);
        await _process.WaitForExitAsync().WaitAsync(timeout).ConfigureAwait(false);
        return _process.ExitCode;
    }

    /// <summary>Stops the process with SIGSTOP: it holds its sockets but answers nothing.</summary>
    public void Pause() => Signal(SigStop);

    /// <summary>Resumes a paused process with SIGCONT.</summary>
    public void Resume() => Signal(SigCont);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Signal(SigCont);
        }

        await KillAsync().ConfigureAwait(false);
        _process.Dispose();
        lock (_logLock)
        {
            _log.Dispose();
        }
    }

    private void Signal(int signal)
    {
        if (!_process.HasExited && kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logLock)
        {
            try
            {
                _log.WriteLine(line);
                foreach (var count in _counts)
                {
                    count.Offer(line);
                }
            }
            catch (ObjectDisposedException)
            {
                // The process outlived its fixture's log by a few lines; nothing to keep.
            }
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);
}
