using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace SdKit.ZooKeeper.Tests.Curator;

/// <summary>
/// One run of the Java peer: its standard output is parsed line by line (tab-separated fields) and tests wait for the
/// lines they expect as they arrive; standard error (Curator's and ZooKeeper's logs) is kept for failure messages.
/// </summary>
internal sealed class CuratorPeer : IAsyncDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly object _gate = new();
    private readonly List<string[]> _lines = [];
    private readonly StringBuilder _errors = new();
    private readonly List<(Func<IReadOnlyList<string[]>, bool> Condition, TaskCompletionSource Done)> _waiters = [];
    private bool _exited;

    private CuratorPeer(Process process, string description)
    {
        _process = process;
        Description = description;
    }

    /// <summary>Gets the command line, for failure messages.</summary>
    public string Description { get; }

    /// <summary>Starts the peer: <c>register|query|watch connectString basePath name ...</c>.</summary>
    public static async Task<CuratorPeer> StartAsync(params string[] arguments)
    {
        var classes = await CuratorPeerProgram.GetAsync();
        var info = new ProcessStartInfo(classes.Java)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var argument in new[] { "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", classes.ClassPath, "CuratorPeer" }.Concat(arguments))
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start '{classes.Java}'.");
        var peer = new CuratorPeer(process, "CuratorPeer " + string.Join(' ', arguments));
        process.OutputDataReceived += (_, e) => peer.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            lock (peer._gate)
            {
                peer._errors.AppendLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return peer;
    }

    /// <summary>Gets every output line so far, split at tabs.</summary>
    public IReadOnlyList<string[]> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>Writes a command to the peer's standard input.</summary>
    public async Task SendAsync(string command)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Sends SIGTERM, as a service manager stopping the process does (the JVM runs its shutdown hooks).</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("Could not start 'kill'.");
        await kill.WaitForExitAsync();
    }

    /// <summary>Waits for the first line whose first field is <paramref name="tag"/> and returns its fields.</summary>
    public async Task<string[]> WaitForLineAsync(string tag, Func<string[], bool>? condition = null)
    {
        await WaitAsync(lines => lines.Any(l => l[0] == tag && (condition?.Invoke(l) ?? true)), $"a {tag} line");
        return Lines.First(l => l[0] == tag && (condition?.Invoke(l) ?? true));
    }

    /// <summary>Waits for a <c>CACHE</c> report (watch mode) whose instances satisfy <paramref name="condition"/>; returns them.</summary>
    public async Task<IReadOnlyList<PeerInstance>> WaitForCacheAsync(Func<IReadOnlyList<PeerInstance>, bool> condition, string what)
    {
        IReadOnlyList<PeerInstance>? found = null;
        await WaitAsync(lines => (found = Reports(lines, "CACHE").FirstOrDefault(condition)) is not null, what);
        return found!;
    }

    /// <summary>Waits for the peer to exit (query mode) and returns the instances of its <c>QUERY</c> report.</summary>
    public async Task<IReadOnlyList<PeerInstance>> WaitForQueryAsync()
    {
        await WaitAsync(lines => lines.Any(l => l[0] == "PROVIDER"), "the query's PROVIDER line");
        return Reports(Lines, "QUERY").Single();
    }

    /// <summary>Waits for the peer to exit by itself.</summary>
    public async Task WaitForExitAsync()
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(Wait);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{Description} did not exit within {Wait}. {Output()}", ex);
        }
    }

    /// <summary>Describes the output, for failure messages.</summary>
    public string Output()
    {
        lock (_gate)
        {
            return $"Output:\n{string.Join('\n', _lines.Select(l => string.Join('\t', l)))}\nErrors:\n{_errors}";
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task WaitAsync(Func<IReadOnlyList<string[]>, bool> condition, string what)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (condition(_lines))
            {
                return;
            }

            if (_exited)
            {
                throw new InvalidOperationException($"{Description} exited before printing {what}. {OutputLocked()}");
            }

            _waiters.Add((condition, done));
        }

        try
        {
            await done.Task.WaitAsync(Wait);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{Description} did not print {what} within {Wait}. {Output()}", ex);
        }
    }

    private void OnLine(string? line)
    {
        lock (_gate)
        {
            if (line is null)
            {
                _exited = true;
                foreach (var (_, done) in _waiters)
                {
                    done.TrySetException(new InvalidOperationException($"{Description} exited first. {OutputLocked()}"));
                }

                _waiters.Clear();
                return;
            }

            _lines.Add(line.Split('\t'));
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Condition(_lines))
                {
                    _waiters[i].Done.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    private string OutputLocked() => $"Output:\n{string.Join('\n', _lines.Select(l => string.Join('\t', l)))}\nErrors:\n{_errors}";

    /// <summary>Groups INSTANCE lines into the report (CACHE or QUERY) that ends them.</summary>
    private static List<IReadOnlyList<PeerInstance>> Reports(IReadOnlyList<string[]> lines, string tag)
    {
        var reports = new List<IReadOnlyList<PeerInstance>>();
        var pending = new List<PeerInstance>();
        foreach (var line in lines)
        {
            if (line[0] == "INSTANCE")
            {
                pending.Add(PeerInstance.Parse(line));
            }
            else if (line[0] == tag)
            {
                reports.Add(pending);
                pending = [];
            }
        }

        return reports;
    }
}

/// <summary>An instance as Curator's API returned it to the peer.</summary>
internal sealed record PeerInstance(string Id, string Address, int? Port, int? SslPort, bool Enabled, IReadOnlyDictionary<string, string> Payload)
{
    public static PeerInstance Parse(string[] line)
    {
        var payload = new Dictionary<string, string>(StringComparer.Ordinal);
        if (line[6] != "null")
        {
            using var json = JsonDocument.Parse(line[6]);
            foreach (var pair in json.RootElement.EnumerateObject())
            {
                payload[pair.Name] = pair.Value.ValueKind == JsonValueKind.String ? pair.Value.GetString()! : pair.Value.GetRawText();
            }
        }

        return new PeerInstance(line[1], line[2], Number(line[3]), Number(line[4]), bool.Parse(line[5]), payload);
    }

    private static int? Number(string text) => text == "null" ? null : int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}
