using System.Diagnostics;
using System.Globalization;
using SdKit.Client;

namespace SdKit.Soak.Topology;

/// <summary>
/// A registrant: this same executable started with the <c>registrant</c> subcommand, holding its own discovery
/// client and registrars, so that a graceful stop and a SIGKILL are real process events. It prints <c>ready</c>
/// once every entry is registered and deregisters and exits when its standard input closes.
/// </summary>
internal sealed class RegistrantProcess : IAsyncDisposable
{
    private static readonly TimeSpan s_readyTimeout = TimeSpan.FromSeconds(90);
    private readonly string _backend;
    private readonly IReadOnlyList<string> _addresses;
    private readonly string _logPath;
    private readonly Action<string, string> _reportUnobserved;
    private readonly Lock _logLock = new();
    private Process? _process;
    private TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _starts;

    public RegistrantProcess(int index, string backend, IReadOnlyList<string> addresses, IReadOnlyList<ServiceEntry> entries, string logDirectory, Action<string, string> reportUnobserved)
    {
        Index = index;
        Entries = entries;
        _backend = backend;
        _addresses = addresses;
        _logPath = Path.Combine(logDirectory, $"registrant{index}.log");
        _reportUnobserved = reportUnobserved;
    }

    public int Index { get; }

    public string Name => $"registrant{Index}";

    public IReadOnlyList<ServiceEntry> Entries { get; }

    /// <summary>Gets whether the process said it is ready and has not been stopped or killed since.</summary>
    public bool Up { get; private set; }

    public int? ProcessId => _process?.Id;

    /// <summary>Starts the process and waits until it has registered every entry.</summary>
    public async Task StartAsync()
    {
        _ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var generation = ++_starts;
        var info = new ProcessStartInfo(Environment.ProcessPath ?? throw new InvalidOperationException("The process path is unknown."))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(info.FileName) == "dotnet")
        {
            info.ArgumentList.Add(typeof(RegistrantProcess).Assembly.Location);
        }

        foreach (var argument in new[] { "registrant", "--backend", _backend, "--endpoints", string.Join(',', _addresses),
            "--entries", string.Join(';', Entries.Select(e => e.ServicePath + "=" + e.Instance)) })
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start a registrant process.");
        process.OutputDataReceived += (_, e) => OnLine(e.Data, generation);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data is null ? null : "stderr: " + e.Data, generation);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        Append($"--- start #{generation} pid {process.Id}");
        await _ready.Task.WaitAsync(s_readyTimeout).ConfigureAwait(false);
        Up = true;
    }

    /// <summary>Closes standard input: the registrant deregisters its entries and exits.</summary>
    public async Task StopAsync()
    {
        Up = false;
        if (_process is not { } process)
        {
            return;
        }

        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Append("--- did not exit within 30 s of a graceful stop; killing");
            await KillAsync().ConfigureAwait(false);
            return;
        }

        Append($"--- exited with code {process.ExitCode.ToString(CultureInfo.InvariantCulture)}");
        process.Dispose();
        _process = null;
    }

    /// <summary>Kills the process with SIGKILL: nothing is deregistered; entries vanish with the session or lease.</summary>
    public async Task KillAsync()
    {
        Up = false;
        if (_process is not { } process)
        {
            return;
        }

        process.Kill(entireProcessTree: false);
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        Append("--- killed with SIGKILL");
        process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await StopAsync().ConfigureAwait(false);
        }
    }

    private void OnLine(string? line, int generation)
    {
        if (line is null)
        {
            return;
        }

        Append(line);
        if (line == "ready" && generation == _starts)
        {
            _ready.TrySetResult();
        }
        else if (line.StartsWith("unobserved ", StringComparison.Ordinal))
        {
            _reportUnobserved(Name, line["unobserved ".Length..]);
        }
    }

    private void Append(string line)
    {
        lock (_logLock)
        {
            File.AppendAllText(_logPath, $"{DateTime.UtcNow:HH:mm:ss.fff} {line}\n");
        }
    }
}
