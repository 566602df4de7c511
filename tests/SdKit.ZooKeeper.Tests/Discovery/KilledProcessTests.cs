using System.Diagnostics;
using SdKit.Testing.ZooKeeper;
using SdKit.ZooKeeper.Discovery;
using SdKit.ZooKeeper.Tests.Discovery.Support;

namespace SdKit.ZooKeeper.Tests.Discovery;

/// <summary>A registering process killed with SIGKILL (no closeSession) disappears from watchers after its session timeout.</summary>
[Collection(StandaloneCollection.Name)]
public sealed class KilledProcessTests(ZooKeeperServerFixture fixture) : IAsyncLifetime
{
    private readonly CancellationTokenSource _testEnd = new();
    private ZooKeeperDiscoveryClient _watcher = null!;

    public async Task InitializeAsync() => _watcher = await DiscoveryClients.ConnectAsync(fixture.ConnectString);

    public async Task DisposeAsync()
    {
        await _testEnd.CancelAsync();
        await _watcher.DisposeAsync();
        _testEnd.Dispose();
    }

    [Fact]
    public async Task Registration_RegisteringProcessKilled_RemovedAfterSessionTimeout()
    {
        var path = DiscoveryClients.NewServicePath();
        var snapshots = DiscoveryClients.Watch(_watcher, path, _testEnd.Token);
        await snapshots.WaitForAsync();
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "SdKit.Cli.dll"), "register", "--zk", fixture.ConnectString, "--path", path, "--instance", "killed:1" })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start the sdkit tool.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await snapshots.WaitForAsync("killed:1");
            var stat = await _watcher.ZooKeeper.GetChildrenAsync(path);
            var owner = (await _watcher.ZooKeeper.ExistsAsync(path + "/" + stat.Children.Single()))!.Value.EphemeralOwner;
            Assert.NotEqual(0, owner);

            process.Kill(entireProcessTree: true);
            var killed = Stopwatch.GetTimestamp();

            await snapshots.WaitForNextAsync(snapshots.Values.Count - 1, s => s.Length == 0, DiscoveryClients.Wait);
            // The server clamps the tool's session to 20 ticks (4 s), its last ping at most a third of that before the
            // kill: the closed socket alone must not remove the node, the expiry must (after well over 2 s).
            Assert.InRange(Stopwatch.GetElapsedTime(killed), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(15));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
        }
    }
}
