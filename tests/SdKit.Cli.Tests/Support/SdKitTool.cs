using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading.Channels;

namespace SdKit.Cli.Tests.Support;

/// <summary>The built tool, run as a real process (<c>dotnet SdKit.Cli.dll ...</c>) with its output captured by line.</summary>
internal sealed partial class SdKitTool : IAsyncDisposable
{
    private const int SigTerm = 15;
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(90);
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly TaskCompletionSource _outputClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _errorClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SdKitTool(Process process) => _process = process;

    public static string DllPath => Path.Combine(AppContext.BaseDirectory, "SdKit.Cli.dll");

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    /// <summary>Starts the tool with <paramref name="arguments"/>.</summary>
    public static SdKitTool Start(params string[] arguments) => Start(new Dictionary<string, string>(), arguments);

    /// <summary>Starts the tool with <paramref name="arguments"/> and <paramref name="environment"/> added to the test's own.</summary>
    public static SdKitTool Start(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        info.ArgumentList.Add(DllPath);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
        var tool = new SdKitTool(process);
        process.OutputDataReceived += (_, e) => tool.OnOutput(e.Data);
        process.ErrorDataReceived += (_, e) => tool.OnError(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return tool;
    }

    /// <summary>Runs the tool to its end and returns the exit code with everything it printed.</summary>
    public static Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] arguments) => RunAsync(new Dictionary<string, string>(), arguments);

    /// <summary>Runs the tool to its end with <paramref name="environment"/> added to the test's own.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        await using var tool = Start(environment, arguments);
        var exitCode = await tool.WaitForExitAsync();
        return (exitCode, tool.Output, tool.Error);
    }

    /// <summary>Waits for the next line on standard output that satisfies <paramref name="predicate"/>.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> predicate, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            while (true)
            {
                var line = await _lines.Reader.ReadAsync(cancel.Token);
                if (predicate(line))
                {
                    return line;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            throw new TimeoutException($"The expected line never came. Output:\n{Output}\nError:\n{Error}", ex);
        }
    }

    /// <summary>Sends SIGTERM, as a service manager stopping the tool would.</summary>
    public void Terminate()
    {
        if (Kill(_process.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    /// <summary>Waits for the process to end and for all its output.</summary>
    public async Task<int> WaitForExitAsync()
    {
        using var cancel = new CancellationTokenSource(RunTimeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            await Task.WhenAll(_outputClosed.Task, _errorClosed.Task).WaitAsync(cancel.Token);
        }
        catch (OperationCanceledException ex)
        {
            throw new TimeoutException($"The tool did not exit within {RunTimeout}. Output:\n{Output}\nError:\n{Error}", ex);
        }

        return _process.ExitCode;
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

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            _lines.Writer.TryComplete();
            _outputClosed.TrySetResult();
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        _lines.Writer.TryWrite(line);
    }

    private void OnError(string? line)
    {
        if (line is null)
        {
            _errorClosed.TrySetResult();
            return;
        }

        lock (_error)
        {
            _error.AppendLine(line);
        }
    }
}
