using System.Diagnostics;
using System.Globalization;

namespace SdKit.Benchmarks.Scenarios.Watchers;

/// <summary>
/// <c>java/ZkWatchers.java</c> compiled with javac against Debian's ZooKeeper jars and started with N watching
/// sessions of the official Java client; asked over stdin which instance to expect, it answers with each session's
/// sighting time (<c>System.nanoTime</c>, the CLOCK_MONOTONIC that <see cref="Stopwatch"/> reads on Linux).
/// </summary>
internal sealed class JavaWatcherProcess : IAsyncDisposable
{
    private const string JavaDirectory = "/usr/share/java";
    private static readonly string[] s_jars = ["zookeeper.jar", "zookeeper-jute.jar", "slf4j-api.jar", "slf4j-nop.jar", "netty-handler.jar", "netty-transport-native-epoll.jar"];

    private readonly Process _process;
    private readonly string _classes;

    private JavaWatcherProcess(Process process, string classes)
    {
        _process = process;
        _classes = classes;
    }

    public static async Task<JavaWatcherProcess> StartAsync(string connectString, string path, int sessions, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux() || Stopwatch.Frequency != 1_000_000_000)
        {
            throw new InvalidOperationException("The Java watchers' times are compared with Stopwatch's: that needs Linux, where both read CLOCK_MONOTONIC in nanoseconds.");
        }

        var source = Path.Combine(AppContext.BaseDirectory, "java", "ZkWatchers.java");
        var classPath = string.Join(':', s_jars.Select(j => Path.Combine(JavaDirectory, j)).Where(File.Exists));
        var classes = Directory.CreateTempSubdirectory("sdkit-zk-watchers-").FullName;
        using (var javac = Start("javac", ["-cp", classPath, "-d", classes, source], redirect: false))
        {
            await javac.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            if (javac.ExitCode != 0)
            {
                throw new InvalidOperationException($"javac could not compile '{source}' against {classPath} (install Debian's zookeeper and openjdk-17-jdk-headless: scripts/install-backends.sh).");
            }
        }

        var process = Start("java", ["-Xss256k", "-Xmx512m", "-cp", $"{classes}:{classPath}", "ZkWatchers", connectString, path, sessions.ToString(CultureInfo.InvariantCulture)], redirect: true);
        var watchers = new JavaWatcherProcess(process, classes);
        var ready = await watchers.ReadLineAsync(TimeSpan.FromMinutes(2), cancellationToken).ConfigureAwait(false);
        return ready == "ready" ? watchers : throw new InvalidOperationException($"The Java watchers said '{ready}' instead of 'ready'.");
    }

    /// <summary>Waits until every Java session has seen <paramref name="instance"/>; returns the sighting times.</summary>
    public async Task<long[]> SeenAsync(string instance, CancellationToken cancellationToken)
    {
        await _process.StandardInput.WriteLineAsync($"expect {instance}".AsMemory(), cancellationToken).ConfigureAwait(false);
        await _process.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
        var reply = await ReadLineAsync(TimeSpan.FromSeconds(40), cancellationToken).ConfigureAwait(false);
        var parts = reply.Split(' ');
        return parts.Length > 2 && parts[0] == "seen" && parts[1] == instance
            ? parts[2..].Select(p => long.Parse(p, CultureInfo.InvariantCulture)).ToArray()
            : throw new InvalidOperationException($"The Java watchers answered '{reply}' to 'expect {instance}'.");
    }

    /// <summary>Waits until every Java session has seen <paramref name="instance"/> removed.</summary>
    public async Task GoneAsync(string instance, CancellationToken cancellationToken)
    {
        await _process.StandardInput.WriteLineAsync($"gone {instance}".AsMemory(), cancellationToken).ConfigureAwait(false);
        await _process.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
        var reply = await ReadLineAsync(TimeSpan.FromSeconds(40), cancellationToken).ConfigureAwait(false);
        if (reply != $"gone {instance}")
        {
            throw new InvalidOperationException($"The Java watchers answered '{reply}' to 'gone {instance}'.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                await _process.StandardInput.WriteLineAsync("quit").ConfigureAwait(false);
                await _process.StandardInput.FlushAsync().ConfigureAwait(false);
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                try
                {
                    await _process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                }
            }
        }
        finally
        {
            _process.Dispose();
            Directory.Delete(_classes, recursive: true);
        }
    }

    private static Process Start(string fileName, IEnumerable<string> arguments, bool redirect)
    {
        var info = new ProcessStartInfo(fileName) { UseShellExecute = false, RedirectStandardInput = redirect, RedirectStandardOutput = redirect };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return Process.Start(info) ?? throw new InvalidOperationException($"Could not start '{fileName}'.");
    }

    private async Task<string> ReadLineAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var line = await _process.StandardOutput.ReadLineAsync(limit.Token).ConfigureAwait(false);
        return line ?? throw new InvalidOperationException($"The Java watchers exited (code {(_process.HasExited ? _process.ExitCode : -1)}) without answering.");
    }
}
