using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using SdKit.Cli.Tests.Commands;
using SdKit.Cli.Tests.Support;
using SdKit.Testing.Network;
using SdKit.Testing.Peers.GoSeed;
using SdKit.ZooKeeper.Client;
using SdKit.ZooKeeper.Discovery;
using Xunit;

namespace SdKit.Cli.Tests.Interop;

/// <summary>
/// The tool and the seed's own Go programs, both ways, exactly as the seed has them: <c>sdkit call</c> against the
/// seed's server (which writes, closes and never reads, so every reply ends in a reset) and the seed's client against
/// <c>sdkit serve</c>. The programs hard-code ZooKeeper 127.0.0.1:2183 and the ports 8897-8899 (GoSeedFixture).
/// </summary>
public sealed class GoSeedInteropTests(GoSeedFixture seed) : IClassFixture<GoSeedFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static readonly Regex GoServerReply = new($"^127\\.0\\.0\\.1:(8897|8898|8899): {InMemoryCommandTests.GoTimePattern}$");

    private static readonly Regex GoLogLine = new(@"^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d ");

    private RegistryTool Tool => RegistryTool.ZooKeeper(seed.ConnectString);

    [Fact]
    public async Task Call_TheSeedsGoServers_EveryCallGetsTheWholeReply()
    {
        await using var registry = await ConnectAsync();
        await PrepareAsync(registry);
        await using var server = seed.StartServer();
        await WaitForInstancesAsync(registry, 3, server.Tail);

        // The seed's server itself, read the way Go's client reads it: its reply is the format SdKit serves.
        var direct = await ReadToEndAsync(new IPEndPoint(IPAddress.Loopback, 8897));
        var call = await Tool.RunAsync("call", "--path", "/go_servers", "--count", "10", "--interval", "0ms");
        var list = await Tool.RunAsync("list", "--path", "/go_servers/", "--json");

        Assert.Matches(GoServerReply, direct);
        Assert.True(call.ExitCode == 0, $"{call.Error}\nGo server:\n{server.Tail()}");
        Assert.Equal(string.Empty, call.Error);
        var replies = call.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(10, replies.Length);
        Assert.All(replies, reply => Assert.Matches(GoServerReply, reply));
        Assert.Equal("{\"instances\":[\"127.0.0.1:8897\",\"127.0.0.1:8898\",\"127.0.0.1:8899\"],\"error\":null}\n", list.Output);
    }

    [Fact]
    public async Task Call_ServerThatWritesClosesAndNeverReads_KeepsTheReplyItReceived()
    {
        // The seed's server's behaviour made certain: the request has arrived (unread) before the reply is written
        // and the socket closed, so the close is always a reset that follows the whole reply.
        await using var registry = await ConnectAsync();
        await PrepareAsync(registry);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var address = listener.LocalEndpoint.ToString()!;
        var answered = Task.Run(async () =>
        {
            for (var i = 0; i < 3; i++)
            {
                using var socket = await listener.AcceptSocketAsync();
                while (socket.Available == 0 && !socket.Poll(1_000_000, SelectMode.SelectRead))
                {
                }

                await socket.SendAsync(Encoding.ASCII.GetBytes($"{address}: 2026-12-07 02:11:47.943577916 +0000 UTC m=+27.113886570"));
                socket.Close(); // Unread data in the receive buffer: the kernel sends a reset.
            }
        });
        await registry.CreateAsync($"/go_servers/{address}", ReadOnlyMemory<byte>.Empty, CreateMode.Ephemeral);

        var call = await Tool.RunAsync("call", "--path", "/go_servers", "--count", "3", "--interval", "0ms");
        await answered.WaitAsync(Patience);

        Assert.True(call.ExitCode == 0, call.Error);
        Assert.Equal(Enumerable.Repeat($"{address}: 2026-12-07 02:11:47.943577916 +0000 UTC m=+27.113886570", 3), call.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task GoClient_SdkitServe_GetsAndPrintsRepliesInTheSeedsFormat()
    {
        await using var registry = await ConnectAsync();
        await PrepareAsync(registry);
        int[] ports = [FreePort.Next(), FreePort.Next(), FreePort.Next()];
        string[] arguments = ["--path", "/go_servers", .. ports.SelectMany(p => new[] { "--listen", $"127.0.0.1:{p}" })];
        await using var serve = Tool.Start("serve", arguments);
        foreach (var port in ports)
        {
            await serve.WaitForLineAsync(l => l.StartsWith($"serving 127.0.0.1:{port}", StringComparison.Ordinal));
        }

        await using var client = seed.StartClient();

        // The client prints "connect host: ..." then the reply, one call a second: the fourth connect line means three
        // replies have been printed.
        await client.CountLines("connect host: ").WaitForAsync(4, Patience);
        await client.KillAsync();
        var lines = await ReadLinesAsync(client.LogPath);
        serve.Terminate();
        Assert.Equal(0, await serve.WaitForExitAsync());

        // The log holds stdout and stderr; go-zookeeper's own log lines (stderr, "2026/12/07 06:34:00 Connected to ...")
        // are not the seed's output.
        var replies = lines.Where(l => !l.StartsWith("connect host: ", StringComparison.Ordinal) && !GoLogLine.IsMatch(l)).ToList();
        Assert.True(replies.Count >= 3, string.Join('\n', lines));
        var reply = new Regex($"^127\\.0\\.0\\.1:({string.Join('|', ports)}): {InMemoryCommandTests.GoTimePattern}$");
        Assert.All(replies, line => Assert.Matches(reply, line));
    }

    private async Task<ZooKeeperClient> ConnectAsync()
        => await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectString = seed.ConnectString });

    /// <summary>Creates <c>/go_servers</c> as the seed's first example does, and waits until a previous test's nodes are gone.</summary>
    private async Task PrepareAsync(ZooKeeperClient registry)
    {
        try
        {
            await registry.CreateAsync("/go_servers", ReadOnlyMemory<byte>.Empty, CreateMode.Persistent);
        }
        catch (ZooKeeperException ex) when (ex.Code == ZooKeeperErrorCode.NodeExists)
        {
        }

        await WaitForInstancesAsync(registry, 0, () => string.Empty);
    }

    private async Task WaitForInstancesAsync(ZooKeeperClient registry, int count, Func<int, string> log)
    {
        _ = registry;
        await using var discovery = await ZooKeeperDiscoveryClient.ConnectAsync(new ZooKeeperDiscoveryOptions { Connection = new ZooKeeperClientOptions { ConnectString = seed.ConnectString } });
        using var timeout = new CancellationTokenSource(Patience);
        IReadOnlyList<string> last = [];
        try
        {
            await foreach (var instances in discovery.WatchAsync("/go_servers", timeout.Token))
            {
                last = instances;
                if (instances.Count == count)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException ex)
        {
            throw new TimeoutException($"/go_servers never held {count} instance(s); last seen: [{string.Join(", ", last)}]. {log(40)}", ex);
        }
    }

    private Task WaitForInstancesAsync(ZooKeeperClient registry, int count, Func<string> log) => WaitForInstancesAsync(registry, count, _ => log());

    /// <summary>Reads a time server's reply to the end as Go's ioutil.ReadAll does: a reset after data ends it.</summary>
    private static async Task<string> ReadToEndAsync(IPEndPoint server)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server);
        await socket.SendAsync("timestamp"u8.ToArray());
        var reply = new List<byte>();
        var buffer = new byte[256];
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer)) > 0)
            {
                reply.AddRange(buffer.AsSpan(0, read));
            }
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset && reply.Count > 0)
        {
        }

        return Encoding.UTF8.GetString([.. reply]);
    }

    private static async Task<string[]> ReadLinesAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return (await reader.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
