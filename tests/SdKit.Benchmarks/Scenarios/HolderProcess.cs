using System.Diagnostics;
using System.Reflection;

namespace SdKit.Benchmarks.Scenarios;

/// <summary>
/// A registering child process for the failover runners: this same program started with a holder scenario
/// (<c>etcd-holder</c>, <c>zk-holder</c>), which registers, prints <c>registered ...</c> and waits to be killed.
/// </summary>
internal static class HolderProcess
{
    /// <summary>Starts <paramref name="scenario"/> with <paramref name="arguments"/> and waits for its <c>registered</c> line.</summary>
    /// <returns>The running process and the rest of its <c>registered</c> line.</returns>
    public static (Process Process, string Registered) Start(string scenario, IEnumerable<string> arguments)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot tell which program to start.");
        var info = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            info.ArgumentList.Add(Assembly.GetExecutingAssembly().Location);
        }

        info.ArgumentList.Add(scenario);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {self}.");
        var line = process.StandardOutput.ReadLine();
        if (line is null || !line.StartsWith("registered ", StringComparison.Ordinal))
        {
            process.Kill();
            process.Dispose();
            throw new InvalidOperationException($"{scenario} did not register (said: {line ?? "nothing"}).");
        }

        return (process, line["registered ".Length..]);
    }

    /// <summary>
    /// The holder's side: prints <c>registered &lt;details&gt;</c> for the parent and waits to be killed. Ctrl+C ends
    /// it cleanly (closing the session or revoking the lease); SIGKILL, what the failover runners send, does not.
    /// </summary>
    /// <returns>0, after Ctrl+C.</returns>
    public static async Task<int> HoldAsync(string details, CancellationToken cancellationToken)
    {
        Console.WriteLine($"registered {details}");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: the caller's await using disposes the client cleanly.
        }

        return 0;
    }
}
