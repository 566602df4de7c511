using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using SdKit.Cli.Tests.Support;
using SdKit.Testing.Network;
using Xunit;

namespace SdKit.Cli.Tests.Commands;

public sealed partial class InMemoryCommandTests
{
    [Fact]
    public async Task Demo_InMemory_StopsChoosingTheStoppedServer()
    {
        var (exitCode, output, error) = await SdKitTool.RunAsync("demo");

        var (_, before, after) = ToolAssert.DemoAvoidedTheStoppedServer(exitCode, output, error);
        Assert.Equal(3, before.Distinct().Count());
        Assert.Equal(6, after.Count);
        Assert.Equal(2, after.Distinct().Count());
        Assert.Contains("demo ok:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_InMemoryJson_PrintsOneJsonLine()
    {
        var (exitCode, output, error) = await SdKitTool.RunAsync("list", "--memory", "--json");

        Assert.Equal(0, exitCode);
        Assert.Equal("{\"instances\":[],\"error\":null}\n", output);
        Assert.Empty(error);
    }

    [Fact]
    public async Task Serve_Connection_AnswersWithItsAddressAndTheTimeThenDeregistersOnSigterm()
    {
        var port = FreePort.Next();
        await using var serve = SdKitTool.Start("serve", "--listen", $"127.0.0.1:{port}");
        await serve.WaitForLineAsync(l => l == $"serving 127.0.0.1:{port}, registered under /go_servers");

        var reply = await CallAsync(port);
        serve.Terminate();
        var exitCode = await serve.WaitForExitAsync();

        Assert.Matches(ReplyPattern(port), reply);
        Assert.Equal(0, exitCode);
        Assert.Contains($"deregistered 127.0.0.1:{port}", serve.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_Sigterm_DeregistersAndExitsZero()
    {
        await using var register = SdKitTool.Start("register", "--instance", "127.0.0.1:9999", "--path", "/services/hello");
        await register.WaitForLineAsync(l => l == "registered 127.0.0.1:9999 under /services/hello");

        register.Terminate();
        var exitCode = await register.WaitForExitAsync();

        Assert.True(exitCode == 0, $"exit {exitCode}\n{register.Output}\n{register.Error}");
        Assert.EndsWith("deregistered 127.0.0.1:9999 from /services/hello\n", register.Output, StringComparison.Ordinal);
    }

    internal static async Task<string> CallAsync(int port)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var stream = client.GetStream();
        await stream.WriteAsync("timestamp"u8.ToArray());
        client.Client.Shutdown(SocketShutdown.Send);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    /// <summary>
    /// A reply of the seed's server at <paramref name="port"/>: <c>ip:port: </c> and Go's <c>time.Time.String()</c>.
    /// The same pattern matches the real Go server's replies (GoSeedInteropTests), so it is checked against Go itself.
    /// </summary>
    internal static Regex ReplyPattern(int port) => new($@"^127\.0\.0\.1:{port}: {GoTimePattern}$");

    /// <summary>Go's <c>time.Time.String()</c>, with the optional monotonic reading: <c>2026-12-07 02:11:47.943577916 +0000 UTC m=+27.11</c>.</summary>
    internal const string GoTimePattern = @"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{0,8}[1-9])? [+-]\d{4} [A-Za-z0-9+-]+( m=[+-]\d+\.\d{9})?";
}
