using SdKit.Cli.Tests.Support;
using SdKit.Testing.Etcd;
using SdKit.Testing.Network;
using Xunit;

namespace SdKit.Cli.Tests.Commands;

/// <summary>The tool against a real etcd member started on loopback (one for the class).</summary>
public sealed class EtcdCommandTests(EtcdSingleMemberFixture etcd) : IClassFixture<EtcdSingleMemberFixture>
{
    /// <summary>The registry timeout for commands expected to succeed: generous, the test machine is shared.</summary>
    private const string Patience = "30s";

    [Fact]
    public async Task Demo_Etcd_StopsChoosingTheStoppedServer()
    {
        var (exitCode, output, error) = await SdKitTool.RunAsync("demo", "--etcd", etcd.Endpoints, "--timeout", Patience, "--path", "/demo/etcd");

        Assert.True(exitCode == 0, $"{output}\n{error}");
        var (stopped, before, after) = ToolAssert.DemoCalls(output);
        Assert.Contains(stopped, before);
        Assert.DoesNotContain(stopped, after);
        Assert.StartsWith($"demo on etcd {etcd.Endpoints}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServeThenCall_EtcdRoundRobin_ReachesEveryServerAndListShowsThem()
    {
        var (first, second) = (FreePort.Next(), FreePort.Next());
        await using var serve = SdKitTool.Start("serve", "--etcd", etcd.Endpoints, "--timeout", Patience, "--path", "/seed/servers", "--listen", $"127.0.0.1:{first}", "--listen", $"127.0.0.1:{second}");
        await serve.WaitForLineAsync(l => l.StartsWith($"serving 127.0.0.1:{second}", StringComparison.Ordinal));

        var list = await SdKitTool.RunAsync("list", "--etcd", etcd.Endpoints, "--timeout", Patience, "--path", "/seed/servers", "--json");
        var call = await SdKitTool.RunAsync("call", "--etcd", etcd.Endpoints, "--timeout", Patience, "--path", "/seed/servers", "--balancer", "round-robin", "--count", "4", "--interval", "0ms");
        serve.Terminate();
        Assert.Equal(0, await serve.WaitForExitAsync());
        var after = await SdKitTool.RunAsync("list", "--etcd", etcd.Endpoints, "--timeout", Patience, "--path", "/seed/servers");

        var sorted = new[] { $"127.0.0.1:{first}", $"127.0.0.1:{second}" }.Order(StringComparer.Ordinal).ToArray();
        Assert.Equal($"{{\"instances\":[\"{sorted[0]}\",\"{sorted[1]}\"],\"error\":null}}\n", list.Output);
        Assert.True(call.ExitCode == 0, call.Error);
        var replies = call.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, replies.Length);
        Assert.Equal(2, replies.Count(r => InMemoryCommandTests.ReplyPattern(first).IsMatch(r)));
        Assert.Equal(2, replies.Count(r => InMemoryCommandTests.ReplyPattern(second).IsMatch(r)));
        Assert.Equal(0, after.ExitCode);
        Assert.Empty(after.Output);
    }

    [Fact]
    public async Task WatchJson_RegisterAndSigterm_OneLinePerChange()
    {
        const string path = "/watched/hello";
        await using var watch = SdKitTool.Start("watch", "--etcd", etcd.Endpoints, "--timeout", Patience, "--path", path, "--json");
        await watch.WaitForLineAsync(l => l == "{\"instances\":[],\"error\":null}");

        await using var register = SdKitTool.Start("register", "--etcd", etcd.Endpoints, "--timeout", Patience, "--path", path, "--instance", "http://127.0.0.1:8080");
        await watch.WaitForLineAsync(l => l == "{\"instances\":[\"http://127.0.0.1:8080\"],\"error\":null}");
        register.Terminate();
        Assert.Equal(0, await register.WaitForExitAsync());
        await watch.WaitForLineAsync(l => l == "{\"instances\":[],\"error\":null}");
        watch.Terminate();

        Assert.Equal(0, await watch.WaitForExitAsync());
        Assert.Empty(watch.Error);
    }

    [Fact]
    public async Task Call_NoServers_OneLineErrorAfterTheTimeout()
    {
        var (exitCode, _, error) = await SdKitTool.RunAsync("call", "--etcd", etcd.Endpoints, "--path", "/nobody/here", "--timeout", "5s");

        Assert.Equal(1, exitCode);
        Assert.Equal("sdkit: error: no instance appeared within 5s under /nobody/here; it has 0 instance(s)", ToolAssert.OneLineError(error));
    }
}
