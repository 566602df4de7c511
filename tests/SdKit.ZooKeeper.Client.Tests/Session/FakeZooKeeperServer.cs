using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace SdKit.ZooKeeper.Client.Tests.Session;

/// <summary>
/// A loopback server that speaks just enough of the protocol (the handshake, then scripted replies) to produce faults a
/// real ZooKeeper never does: torn frames, oversized lengths, replies out of order.
/// </summary>
internal sealed class FakeZooKeeperServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<Socket, int, Task> _afterHandshake;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public FakeZooKeeperServer(Func<Socket, int, Task> afterHandshake)
    {
        _afterHandshake = afterHandshake;
        _listener.Start();
        _loop = AcceptLoopAsync();
    }

    public string ConnectString => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public int Connections { get; private set; }

    /// <summary>Reads one request frame and returns its xid.</summary>
    public static async Task<int> ReadRequestAsync(Socket socket)
    {
        var prefix = new byte[4];
        await ReceiveExactlyAsync(socket, prefix);
        var body = new byte[BinaryPrimitives.ReadInt32BigEndian(prefix)];
        await ReceiveExactlyAsync(socket, body);
        return BinaryPrimitives.ReadInt32BigEndian(body);
    }

    /// <summary>Builds a reply frame: length, xid, zxid, err, then the body.</summary>
    public static byte[] Reply(int xid, long zxid, int error, byte[] body)
    {
        var frame = new byte[4 + 16 + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(frame, 16 + body.Length);
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(4), xid);
        BinaryPrimitives.WriteInt64BigEndian(frame.AsSpan(8), zxid);
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(16), error);
        body.CopyTo(frame, 20);
        return frame;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The listener was stopped.
        }

        _stop.Dispose();
    }

    private static async Task ReceiveExactlyAsync(Socket socket, Memory<byte> target)
    {
        while (!target.IsEmpty)
        {
            var read = await socket.ReceiveAsync(target);
            if (read == 0)
            {
                throw new IOException("The client closed the connection.");
            }

            target = target[read..];
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var socket = await _listener.AcceptSocketAsync(_stop.Token);
            var index = ++Connections;
            _ = Task.Run(async () =>
            {
                using (socket)
                {
                    try
                    {
                        await ReceiveExactlyAsync(socket, new byte[49]);
                        var response = new byte[4 + 37];
                        BinaryPrimitives.WriteInt32BigEndian(response, 37);
                        BinaryPrimitives.WriteInt32BigEndian(response.AsSpan(8), 4000);
                        BinaryPrimitives.WriteInt64BigEndian(response.AsSpan(12), 0x42);
                        BinaryPrimitives.WriteInt32BigEndian(response.AsSpan(20), 16);
                        await socket.SendAsync(response);
                        await _afterHandshake(socket, index);
                    }
                    catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
                    {
                        // The client went away; the scenario is over.
                    }
                }
            });
        }
    }
}
