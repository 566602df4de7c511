using System.Buffers.Binary;
using static SdKit.ZooKeeper.Client.Tests.TestClients;

namespace SdKit.ZooKeeper.Client.Tests.Session;

public sealed class MalformedReplyTests
{
    [Fact]
    public async Task Reply_TornIntoSingleBytes_IsReassembled()
    {
        await using var server = new FakeZooKeeperServer(async (socket, _) =>
        {
            var xid = await FakeZooKeeperServer.ReadRequestAsync(socket);
            var body = new byte[4 + 3 + 68];
            BinaryPrimitives.WriteInt32BigEndian(body, 3);
            "abc"u8.CopyTo(body.AsSpan(4));
            foreach (var b in FakeZooKeeperServer.Reply(xid, 5, 0, body))
            {
                await socket.SendAsync(new[] { b });
                await Task.Delay(1);
            }

            await socket.ReceiveAsync(new byte[1]);
        });
        await using var client = await ConnectAsync(server.ConnectString);

        var data = await client.GetDataAsync("/torn").WaitAsync(Wait);

        Assert.Equal("abc", Text(data.Data));
        Assert.Equal(5, client.LastZxid);
    }

    [Fact]
    public async Task Reply_LengthOverMaxFrameSize_DropsConnectionWithProtocolError()
    {
        await using var server = new FakeZooKeeperServer(async (socket, connection) =>
        {
            if (connection == 1)
            {
                await FakeZooKeeperServer.ReadRequestAsync(socket);
                await socket.SendAsync(new byte[] { 0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 0 });
            }

            await socket.ReceiveAsync(new byte[1]);
        });
        await using var client = await ConnectAsync(server.ConnectString);
        using var states = new StateRecorder(client);

        var error = await Assert.ThrowsAsync<ConnectionLossException>(() => client.GetDataAsync("/huge").WaitAsync(Wait));

        var protocol = Assert.IsType<ZooKeeperProtocolException>(error.InnerException);
        Assert.Contains("announced a frame of 2,147,483,647 bytes, above the limit of 2,097,152 (MaxFrameSize)", protocol.Message, StringComparison.Ordinal);
        await states.WaitForAsync(ZooKeeperSessionState.Disconnected, 0, Wait);
        await states.WaitForAsync(ZooKeeperSessionState.Connected, 1, Wait);
    }

    [Fact]
    public async Task Reply_UnexpectedXid_DropsConnectionWithProtocolError()
    {
        await using var server = new FakeZooKeeperServer(async (socket, connection) =>
        {
            if (connection == 1)
            {
                var xid = await FakeZooKeeperServer.ReadRequestAsync(socket);
                await socket.SendAsync(FakeZooKeeperServer.Reply(xid + 100, 1, 0, new byte[68]));
            }

            await socket.ReceiveAsync(new byte[1]);
        });
        await using var client = await ConnectAsync(server.ConnectString);

        var error = await Assert.ThrowsAsync<ConnectionLossException>(() => client.ExistsAsync("/x").WaitAsync(Wait));

        Assert.IsType<ZooKeeperProtocolException>(error.InnerException);
    }

    [Fact]
    public async Task Reply_TruncatedBody_FailsRequestWithProtocolError()
    {
        await using var server = new FakeZooKeeperServer(async (socket, connection) =>
        {
            if (connection == 1)
            {
                var xid = await FakeZooKeeperServer.ReadRequestAsync(socket);
                await socket.SendAsync(FakeZooKeeperServer.Reply(xid, 1, 0, new byte[10]));
            }

            await socket.ReceiveAsync(new byte[1]);
        });
        await using var client = await ConnectAsync(server.ConnectString);

        var error = await Assert.ThrowsAsync<ConnectionLossException>(() => client.ExistsAsync("/x").WaitAsync(Wait));

        Assert.Contains("Stat", Assert.IsType<ZooKeeperProtocolException>(error.InnerException).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_SilentAfterHandshake_PingsThenDetectsReadTimeout()
    {
        var pings = 0;
        await using var server = new FakeZooKeeperServer(async (socket, connection) =>
        {
            if (connection == 1)
            {
                // Swallow requests (pings) without answering: the client must give up after 2/3 of 4 s.
                while (await FakeZooKeeperServer.ReadRequestAsync(socket) == -2)
                {
                    Interlocked.Increment(ref pings);
                }
            }

            await socket.ReceiveAsync(new byte[1]);
        });
        await using var client = await ConnectAsync(server.ConnectString);
        using var states = new StateRecorder(client);

        await states.WaitForAsync(ZooKeeperSessionState.Disconnected, 0, TimeSpan.FromSeconds(5));

        Assert.InRange(Volatile.Read(ref pings), 1, 3);
    }
}
