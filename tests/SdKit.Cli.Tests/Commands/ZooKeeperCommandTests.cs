using System.Text.Json;
using SdKit.Cli.Tests.Support;
using SdKit.Testing.Network;
using SdKit.Testing.ZooKeeper;
using SdKit.ZooKeeper.Client;
using Xunit;

namespace SdKit.Cli.Tests.Commands;

/// <summary>The tool against a real standalone ZooKeeper started on loopback (one for the class).</summary>
public sealed class ZooKeeperCommandTests(ZooKeeperServerFixture zooKeeper) : RegistryCommandScenario, IClassFixture<ZooKeeperServerFixture>
{
    internal override RegistryTool Tool => RegistryTool.ZooKeeper(zooKeeper.ConnectString);

    [Fact]
    public async Task Serve_NamedLayout_CreatesTheSeedNodesThatCallFinds()
    {
        var port = FreePort.Next();
        await using var serve = Tool.Start("serve", "--path", "/go_servers", "--listen", $"127.0.0.1:{port}", "--layout", "named");
        await serve.WaitForLineAsync(l => l.StartsWith($"serving 127.0.0.1:{port}", StringComparison.Ordinal));

        await using var raw = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectString = zooKeeper.ConnectString });
        var children = await raw.GetChildrenAsync("/go_servers");
        var call = await Tool.RunAsync("call", "--path", "/go_servers", "--count", "2", "--interval", "0ms");
        serve.Terminate();
        Assert.Equal(0, await serve.WaitForExitAsync());
        var after = await raw.GetChildrenAsync("/go_servers");

        Assert.Contains($"127.0.0.1:{port}", children.Children);
        Assert.True(call.ExitCode == 0, call.Error);
        Assert.All(call.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries), reply => Assert.Matches(InMemoryCommandTests.ReplyPattern(port), reply));
        Assert.DoesNotContain($"127.0.0.1:{port}", after.Children);
    }

    [Fact]
    public async Task RegisterThenList_ProtectedLayoutWithChroot_ListsTheInstanceUntilSigterm()
    {
        var chrooted = RegistryTool.ZooKeeper(zooKeeper.ConnectString + "/chrooted");
        await using var raw = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectString = zooKeeper.ConnectString });
        try
        {
            await raw.CreateAsync("/chrooted", ReadOnlyMemory<byte>.Empty, CreateMode.Persistent);
        }
        catch (ZooKeeperException ex) when (ex.Code == ZooKeeperErrorCode.NodeExists)
        {
        }

        await using var register = chrooted.Start("register", "--path", "/services/hello", "--instance", "http://127.0.0.1:8080");
        await register.WaitForLineAsync(l => l == "registered http://127.0.0.1:8080 under /services/hello");

        var list = await chrooted.RunAsync("list", "--path", "/services/hello", "--json");
        var nodes = await raw.GetChildrenAsync("/chrooted/services/hello");
        register.Terminate();
        Assert.Equal(0, await register.WaitForExitAsync());
        var after = await chrooted.RunAsync("list", "--path", "/services/hello", "--json");

        Assert.Equal("{\"instances\":[\"http://127.0.0.1:8080\"],\"error\":null}\n", list.Output);
        Assert.StartsWith("_c_", Assert.Single(nodes.Children), StringComparison.Ordinal);
        Assert.Equal("{\"instances\":[],\"error\":null}\n", after.Output);
    }

    [Fact]
    public async Task Register_SdKitJsonWithMetadataWeightAndZone_ListJsonWithFormatPrintsTheTypedFields()
    {
        const string path = "/typed/sdkit-json";
        await using var register = Tool.Start("register", "--path", path, "--instance", "127.0.0.1:8081", "--format", "sdkit-json",
            "--meta", "version=1.4", "--meta", "team=core", "--weight", "3", "--zone", "zone-a");
        await register.WaitForLineAsync(l => l.StartsWith("registered {", StringComparison.Ordinal));

        var typed = await Tool.RunAsync("list", "--path", path, "--json", "--format", "sdkit-json");
        var plain = await Tool.RunAsync("list", "--path", path, "--json");
        register.Terminate();
        Assert.Equal(0, await register.WaitForExitAsync());

        using var line = JsonDocument.Parse(typed.Output);
        var instance = Assert.Single(line.RootElement.GetProperty("typed").EnumerateArray());
        Assert.Equal("sdkit-json", line.RootElement.GetProperty("format").GetString());
        Assert.Equal("127.0.0.1", instance.GetProperty("host").GetString());
        Assert.Equal(8081, instance.GetProperty("port").GetInt32());
        Assert.Equal(3, instance.GetProperty("weight").GetInt32());
        Assert.Equal("zone-a", instance.GetProperty("zone").GetString());
        Assert.True(instance.GetProperty("enabled").GetBoolean());
        Assert.Equal("1.4", instance.GetProperty("metadata").GetProperty("version").GetString());
        Assert.Equal("core", instance.GetProperty("metadata").GetProperty("team").GetString());
        Assert.Empty(line.RootElement.GetProperty("failures").EnumerateArray());
        using var bare = JsonDocument.Parse(plain.Output);
        Assert.False(bare.RootElement.TryGetProperty("typed", out _));
        Assert.StartsWith("{", Assert.Single(bare.RootElement.GetProperty("instances").EnumerateArray()).GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_CuratorLayout_WritesCuratorsNodeNamedByIdAndListDecodesIt()
    {
        const string path = "/curator-base/hello";
        await using var register = Tool.Start("register", "--path", path, "--instance", "127.0.0.1:8082", "--layout", "curator", "--meta", "version=2");
        await register.WaitForLineAsync(l => l.StartsWith("registered {", StringComparison.Ordinal));

        await using var raw = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectString = zooKeeper.ConnectString });
        var node = Assert.Single((await raw.GetChildrenAsync(path)).Children);
        var data = await raw.GetDataAsync($"{path}/{node}");
        var list = await Tool.RunAsync("list", "--path", path, "--json", "--format", "curator");
        register.Terminate();
        Assert.Equal(0, await register.WaitForExitAsync());
        var after = await raw.GetChildrenAsync(path);

        Assert.True(Guid.TryParse(node, out _), $"Curator names its node by a UUID, not '{node}'.");
        using var stored = JsonDocument.Parse(data.Data);
        Assert.Equal("hello", stored.RootElement.GetProperty("name").GetString());
        Assert.Equal(node, stored.RootElement.GetProperty("id").GetString());
        Assert.Equal("127.0.0.1", stored.RootElement.GetProperty("address").GetString());
        Assert.Equal(8082, stored.RootElement.GetProperty("port").GetInt32());
        Assert.Equal("java.util.HashMap", stored.RootElement.GetProperty("payload").GetProperty("@class").GetString());
        Assert.Equal("2", stored.RootElement.GetProperty("payload").GetProperty("version").GetString());
        using var line = JsonDocument.Parse(list.Output);
        var instance = Assert.Single(line.RootElement.GetProperty("typed").EnumerateArray());
        Assert.Equal(node, instance.GetProperty("id").GetString());
        Assert.Equal(8082, instance.GetProperty("port").GetInt32());
        Assert.Equal("2", instance.GetProperty("metadata").GetProperty("version").GetString());
        Assert.Empty(after.Children);
    }

    [Fact]
    public async Task List_ZooKeeperUnreachable_OneLineErrorWithinTheTimeout()
    {
        var port = FreePort.Next();

        var (exitCode, _, error) = await (RegistryTool.ZooKeeper($"127.0.0.1:{port}") with { Timeout = "1s" }).RunAsync("list");

        Assert.Equal(1, exitCode);
        Assert.StartsWith($"sdkit: error: ZooKeeper 127.0.0.1:{port}", ToolAssert.OneLineError(error), StringComparison.Ordinal);
    }
}
