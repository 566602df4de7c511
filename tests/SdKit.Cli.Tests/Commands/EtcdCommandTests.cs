using SdKit.Cli.Tests.Support;
using SdKit.Testing.Etcd;
using SdKit.Testing.Network;
using Xunit;

namespace SdKit.Cli.Tests.Commands;

/// <summary>The tool against a real etcd member started on loopback (one for the class).</summary>
public sealed class EtcdCommandTests(EtcdSingleMemberFixture etcd) : RegistryCommandScenario, IClassFixture<EtcdSingleMemberFixture>
{
    internal override RegistryTool Tool => RegistryTool.Etcd(etcd.Endpoints);

    [Fact]
    public async Task ServeThenCall_EtcdRoundRobin_ReachesEveryServerAndListShowsThem()
    {
        var (first, second) = (FreePort.Next(), FreePort.Next());
        await using var serve = Tool.Start("serve", "--path", "/seed/servers", "--listen", $"127.0.0.1:{first}", "--listen", $"127.0.0.1:{second}");
        await serve.WaitForLineAsync(l => l.StartsWith($"serving 127.0.0.1:{second}", StringComparison.Ordinal));

        var list = await Tool.RunAsync("list", "--path", "/seed/servers", "--json");
        var call = await Tool.RunAsync("call", "--path", "/seed/servers", "--balancer", "round-robin", "--count", "4", "--interval", "0ms");
        serve.Terminate();
        Assert.Equal(0, await serve.WaitForExitAsync());
        var after = await Tool.RunAsync("list", "--path", "/seed/servers");

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
        await using var watch = Tool.Start("watch", "--path", path, "--json");
        await watch.WaitForLineAsync(l => l == "{\"instances\":[],\"error\":null}");

        await using var register = Tool.Start("register", "--path", path, "--instance", "http://127.0.0.1:8080");
        await watch.WaitForLineAsync(l => l == "{\"instances\":[\"http://127.0.0.1:8080\"],\"error\":null}");
        register.Terminate();
        Assert.Equal(0, await register.WaitForExitAsync());
        await watch.WaitForLineAsync(l => l == "{\"instances\":[],\"error\":null}");
        watch.Terminate();

        Assert.Equal(0, await watch.WaitForExitAsync());
        Assert.Empty(watch.Error);
    }

    [Fact]
    public async Task WatchJson_TheSeedsPrefixWithTrailingSlash_SeesTheSeedsServicesAndNothingBeside()
    {
        // The seed's etcd service puts services/<name> = {"IP":...}; its master watches the prefix "services/".
        var ctl = etcd.Cluster.Ctl;
        await ctl.PutAsync("services-other/x", "beside");
        await ctl.PutAsync("services/deeper/x", "below");
        await using var watch = Tool.Start("watch", "--path", "services/", "--json");
        await watch.WaitForLineAsync(l => l == "{\"instances\":[],\"error\":null}");

        await ctl.PutAsync("services/s-test", "{\"IP\":\"192.168.1.26\"}");
        await watch.WaitForLineAsync(l => l == "{\"instances\":[\"{\\u0022IP\\u0022:\\u0022192.168.1.26\\u0022}\"],\"error\":null}" || l == "{\"instances\":[\"{\\\"IP\\\":\\\"192.168.1.26\\\"}\"],\"error\":null}");
        var list = await Tool.RunAsync("list", "--path", "services/");
        var ambiguous = await Tool.RunAsync("list", "--path", "services//");
        watch.Terminate();

        Assert.Equal(0, await watch.WaitForExitAsync());
        Assert.Empty(watch.Error);
        Assert.Equal("{\"IP\":\"192.168.1.26\"}\n", list.Output);
        Assert.Equal(1, ambiguous.ExitCode);
        Assert.Equal("sdkit: error: --path: The service path 'services//' holds an empty segment ('//').", ToolAssert.OneLineError(ambiguous.Error));
    }

    [Fact]
    public async Task Call_NoServers_OneLineErrorAfterTheTimeout()
    {
        var (exitCode, _, error) = await (Tool with { Timeout = "5s" }).RunAsync("call", "--path", "/nobody/here");

        Assert.Equal(1, exitCode);
        Assert.Equal("sdkit: error: no instance appeared within 5s under /nobody/here; it has 0 instance(s)", ToolAssert.OneLineError(error));
    }

    [Fact]
    public async Task List_EtcdMemberPaused_SaysItDidNotAnswerWithinTheTimeout()
    {
        // A member of its own: the class's member keeps serving the other tests.
        await using var cluster = await EtcdCluster.StartAsync(1);
        var member = cluster.Members[0];
        member.Pause();
        try
        {
            var (exitCode, _, error) = await (RegistryTool.Etcd(cluster.Endpoints) with { Timeout = "1s" }).RunAsync("list");

            Assert.Equal(1, exitCode);
            Assert.Equal($"sdkit: error: etcd {cluster.Endpoints} did not answer within 1s", ToolAssert.OneLineError(error));
        }
        finally
        {
            member.Resume();
        }
    }
}
