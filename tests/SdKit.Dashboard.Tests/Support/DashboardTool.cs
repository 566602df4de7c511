using SdKit.Cli.Tests.Support;

namespace SdKit.Dashboard.Tests.Support;

/// <summary>A running <c>sdkit dashboard</c> process on a free loopback port, and the address it printed.</summary>
internal sealed class DashboardTool : IAsyncDisposable
{
    private DashboardTool(SdKitTool process, Uri address)
    {
        Process = process;
        Address = address;
    }

    public SdKitTool Process { get; }

    public Uri Address { get; }

    public static async Task<DashboardTool> StartAsync(RegistryTool registry, string root)
    {
        var process = registry.Start("dashboard", "--path", root, "--listen", "127.0.0.1:0");
        var line = await process.WaitForLineAsync(l => l.StartsWith("dashboard on ", StringComparison.Ordinal));
        return new DashboardTool(process, new Uri(line.Split(' ')[2]));
    }

    /// <summary>Stops the dashboard with SIGTERM and checks it stopped cleanly.</summary>
    public async Task StopAsync()
    {
        Process.Terminate();
        var exitCode = await Process.WaitForExitAsync();
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"sdkit dashboard exited with {exitCode}:\n{Process.Error}");
        }
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
