using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SdKit.Cli.Tests.Support;
using Xunit;

namespace SdKit.Cli.Tests.Commands;

public sealed class ErrorPathTests
{
    [Theory]
    [InlineData(new[] { "call", "--balancer", "fastest" }, "sdkit: error: 'fastest' is not a balancer for --balancer (use random, round-robin or least-outstanding). (see sdkit --help)")]
    [InlineData(new[] { "serve", "--listen", "localhost" }, "sdkit: error: 'localhost' is not an ip:port address for --listen. (see sdkit --help)")]
    [InlineData(new[] { "call", "--interval", "soon" }, "sdkit: error: 'soon' is not a duration for --interval (use 500ms, 2s, 1m or hh:mm:ss). (see sdkit --help)")]
    [InlineData(new[] { "register" }, "sdkit: error: Option '--instance' is required. (see sdkit --help)")]
    [InlineData(new[] { "frobnicate" }, "sdkit: error: Unrecognized command or argument 'frobnicate'. (see sdkit --help)")]
    [InlineData(new[] { "demo", "--servers", "1" }, "sdkit: error: --servers must be between 2 and 20 (see sdkit --help)")]
    [InlineData(new[] { "list", "--json", "--format", "yaml" }, "sdkit: error: 'yaml' is not an instance format for --format (use plain, seed-etcd-json, sdkit-json, curator). (see sdkit --help)")]
    [InlineData(new[] { "register", "--instance", "127.0.0.1:8080", "--layout", "flat" }, "sdkit: error: 'flat' is not a layout for --layout (use protected, named or curator). (see sdkit --help)")]
    public async Task Run_BadArguments_OneLineErrorAndExitCodeTwo(string[] arguments, string expected)
    {
        var (exitCode, output, error) = await SdKitTool.RunAsync(arguments);

        Assert.Equal(2, exitCode);
        Assert.Equal(expected, ToolAssert.OneLineError(error));
        Assert.Empty(output);
    }

    [Theory]
    [InlineData(new[] { "list", "--memory", "--etcd", "http://127.0.0.1:2379" }, "sdkit: error: choose one backend: --zk, --etcd or --memory")]
    [InlineData(new[] { "list", "--path", "/a//b" }, "sdkit: error: --path: The service path '/a//b' holds an empty segment ('//').")]
    [InlineData(new[] { "list", "--etcd", "etcd.local" }, "sdkit: error: --etcd: Invalid etcd options: Endpoint 'etcd.local' is not a client URL of the form 'http://host:port' or 'https://host:port'.")]
    [InlineData(new[] { "list", "--etcd", "https://127.0.0.1:2379", "--etcd-user", "sdkit", "--etcd-password", "" }, "sdkit: error: --etcd: Invalid etcd options: --etcd-user and --etcd-password go together: give both or neither.")]
    [InlineData(new[] { "list", "--etcd", "https://127.0.0.1:2379", "--etcd-cert", "/nonexistent/client.crt" }, "sdkit: error: --etcd: Invalid etcd options: --etcd-cert and --etcd-key go together: give both or neither. --etcd-cert '/nonexistent/client.crt' does not exist.")]
    [InlineData(new[] { "call", "--timeout", "300ms" }, "sdkit: error: no instance appeared within 0.3s under /go_servers; it has 0 instance(s)")]
    [InlineData(new[] { "register", "--instance", "127.0.0.1:8080", "--weight", "3" }, "sdkit: error: --weight needs a format that carries it: add --format sdkit-json or --format curator (the plain format is the bare string).")]
    [InlineData(new[] { "register", "--instance", "127.0.0.1:8080", "--format", "sdkit-json", "--meta", "version" }, "sdkit: error: --meta 'version' is not key=value.")]
    [InlineData(new[] { "register", "--instance", "127.0.0.1:8080", "--format", "sdkit-json", "--weight", "0" }, "sdkit: error: --weight 0 must be greater than zero.")]
    [InlineData(new[] { "register", "--instance", "127.0.0.1:8080", "--layout", "named", "--format", "curator" }, "sdkit: error: --layout named keeps no data, so --format 'curator' cannot be stored: use --layout protected or curator.")]
    [InlineData(new[] { "register", "--instance", "127.0.0.1:8080", "--layout", "curator" }, "sdkit: error: --layout curator is Curator's ZooKeeper layout: use it with --zk (elsewhere use --format curator alone).")]
    [InlineData(new[] { "register", "--instance", "127.0.0.1:x", "--format", "sdkit-json" }, "sdkit: error: --instance: Instance string '127.0.0.1:x' has port 'x', which is not a number in 0..65535.")]
    public async Task Run_UnusableSettings_OneLineErrorAndExitCodeOne(string[] arguments, string expected)
    {
        var (exitCode, _, error) = await SdKitTool.RunAsync(arguments);

        Assert.Equal(1, exitCode);
        Assert.Equal(expected, ToolAssert.OneLineError(error));
    }

    [Fact]
    public async Task List_ZooKeeperPathItRefuses_SaysWhyWithoutAnExceptionName()
    {
        var (exitCode, _, error) = await SdKitTool.RunAsync("list", "--zk", $"127.0.0.1:{SdKit.Testing.Network.FreePort.Next()}", "--path", "/a/.");

        Assert.Equal(1, exitCode);
        var line = ToolAssert.OneLineError(error);
        Assert.StartsWith("sdkit: error: --path: Invalid ZooKeeper path '/a/.': ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0x48, 0x54, 0x54, 0x50, 0x2f, 0x31, 0x2e, 0x31, 0x20, 0x34, 0x30, 0x30, 0x0d, 0x0a, 0x0d, 0x0a }, "announced a frame of 1,213,486,160 bytes, above the limit of 4,096 for a handshake reply")]
    [InlineData(new byte[] { 0xff, 0xff, 0xff, 0xf0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13 }, "sent 17 bytes that are not a ZooKeeper reply")]
    [InlineData(new byte[] { 0, 0, 0, 36, 0, 0, 0, 0, 0, 0, 0x27, 0x10, 0, 0 }, "closed the connection after 10 of the 36 bytes of its handshake reply (a truncated frame)")]
    public async Task List_ZooKeeperPeerThatIsNotZooKeeper_SaysWhatItSentNotThatItWasSilent(byte[] answer, string expected)
    {
        await using var peer = SdKit.Testing.Network.MisbehavingPeer.Answering(answer);

        var (exitCode, _, error) = await SdKitTool.RunAsync("list", "--zk", peer.Address, "--timeout", "1s");

        Assert.Equal(1, exitCode);
        var line = ToolAssert.OneLineError(error);
        Assert.StartsWith($"sdkit: error: ZooKeeper {peer.Address}: ", line, StringComparison.Ordinal);
        Assert.Contains($"The server {peer.Address} {expected}", line, StringComparison.Ordinal);
        Assert.DoesNotContain("did not answer", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_SilentZooKeeperPeer_SaysItDidNotAnswer()
    {
        await using var peer = SdKit.Testing.Network.MisbehavingPeer.Silent();

        var (exitCode, _, error) = await SdKitTool.RunAsync("list", "--zk", peer.Address, "--timeout", "1s");

        Assert.Equal(1, exitCode);
        Assert.Equal($"sdkit: error: ZooKeeper {peer.Address} did not answer within 1s", ToolAssert.OneLineError(error));
    }

    [Fact]
    public async Task Serve_AddressInUse_OneLineErrorAndExitCodeOne()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var address = taken.LocalEndpoint.ToString()!;

        var (exitCode, _, error) = await SdKitTool.RunAsync("serve", "--listen", address);

        Assert.Equal(1, exitCode);
        Assert.StartsWith($"sdkit: error: cannot listen on {address}: ", ToolAssert.OneLineError(error), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1s", 1.0)]
    [InlineData("2s", 2.0)]
    public async Task List_EtcdUnreachable_ReportsTheRefusalAfterAboutTheTimeout(string timeout, double seconds)
    {
        // etcd's request deadline is the --timeout itself: whichever of the two ends the refused, retried request
        // first, the line names the refusal, never "did not answer" (nothing was sent to answer).
        var endpoint = $"http://127.0.0.1:{SdKit.Testing.Network.FreePort.Next()}";
        var clock = Stopwatch.StartNew();

        var (exitCode, _, error) = await (RegistryTool.Etcd(endpoint) with { Timeout = timeout }).RunAsync("list");

        clock.Stop();
        Assert.Equal(1, exitCode);
        var line = ToolAssert.OneLineError(error);
        Assert.StartsWith($"sdkit: error: etcd {endpoint}: etcd at {endpoint} could not be reached for lease grant of 'TTL 10 s': ", line, StringComparison.Ordinal);
        Assert.Contains("Connection refused", line, StringComparison.Ordinal);
        Assert.DoesNotContain("did not answer", line, StringComparison.Ordinal);

        // The dead endpoint is tried again until about the --timeout (a member may come back), and not much longer:
        // the upper bound leaves room for the tool's own start on a busy machine.
        Assert.InRange(clock.Elapsed.TotalSeconds, seconds * 0.7, seconds + 10);
    }
}
