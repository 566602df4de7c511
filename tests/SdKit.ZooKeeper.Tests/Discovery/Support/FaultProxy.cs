using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SdKit.ZooKeeper.Tests.Discovery.Support;

/// <summary>
/// A TCP relay on 127.0.0.1 in front of one ZooKeeper server that, beyond what
/// <see cref="SdKit.Testing.Network.LoopbackProxy"/> does (cut, stall), can trap the first request carrying a marker
/// (for example the path of a create) and either swallow it or let it through while holding the reply back: the two
/// outcomes of a create whose connection dies, which GUID recovery must tell apart.
/// </summary>
internal sealed class FaultProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private readonly List<Socket> _sockets = [];
    private readonly Task _accepting;
    private TaskCompletionSource _flowing = Open();
    private TaskCompletionSource _repliesFlowing = Open();
    private (byte[] Marker, bool Forward, TaskCompletionSource Sprung)? _trap;

    private FaultProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>Gets the <c>127.0.0.1:port</c> clients connect to.</summary>
    public string Endpoint => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public static FaultProxy Start(int targetPort) => new(targetPort);

    /// <summary>Closes every open connection with a reset.</summary>
    public void CutAll()
    {
        List<Socket> open;
        lock (_gate)
        {
            open = [.. _sockets];
            _sockets.Clear();
        }

        foreach (var socket in open)
        {
            Reset(socket);
        }
    }

    /// <summary>Forwards nothing, in either direction, on old or new connections, until <see cref="Resume"/>.</summary>
    public void Stall()
    {
        lock (_gate)
        {
            if (_flowing.Task.IsCompleted)
            {
                _flowing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    /// <summary>Lets all traffic flow again, and releases replies a trap held.</summary>
    public void Resume()
    {
        lock (_gate)
        {
            _flowing.TrySetResult();
            _repliesFlowing.TrySetResult();
        }
    }

    /// <summary>
    /// Traps the next client-to-server chunk containing <paramref name="marker"/>: when <paramref name="forward"/>, it
    /// reaches the server but no reply reaches the client (all replies are held); otherwise it is swallowed and all
    /// traffic stalls. Either way, call <see cref="CutAll"/> and <see cref="Resume"/> afterwards.
    /// </summary>
    /// <returns>A task that completes when the trap has sprung.</returns>
    public Task Trap(string marker, bool forward)
    {
        var sprung = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _trap = (Encoding.UTF8.GetBytes(marker), forward, sprung);
        }

        return sprung.Task;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Resume();
        CutAll();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The listener stopped.
        }

        _stop.Dispose();
    }

    private static TaskCompletionSource Open()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    private static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }

        socket.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptSocketAsync(_stop.Token);
            _ = RelayAsync(client);
        }
    }

    private Task Gate(bool reply)
    {
        lock (_gate)
        {
            return reply ? Task.WhenAll(_flowing.Task, _repliesFlowing.Task) : _flowing.Task;
        }
    }

    private async Task RelayAsync(Socket client)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.NoDelay = true;
        lock (_gate)
        {
            _sockets.Add(client);
            _sockets.Add(server);
        }

        try
        {
            await Gate(reply: false).WaitAsync(_stop.Token);
            await server.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
            await Task.WhenAny(PumpAsync(client, server, reply: false), PumpAsync(server, client, reply: true));
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Cut, or the proxy stopped.
        }

        lock (_gate)
        {
            _sockets.Remove(client);
            _sockets.Remove(server);
        }

        Reset(client);
        Reset(server);
    }

    private async Task PumpAsync(Socket from, Socket to, bool reply)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0)
                {
                    return;
                }

                await Gate(reply).WaitAsync(_stop.Token);
                if (!reply && Spring(buffer.AsSpan(0, read)) is { } forward && !forward)
                {
                    continue;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Cut, or the proxy stopped.
        }
    }

    /// <summary>Springs the trap when <paramref name="chunk"/> carries its marker; returns whether to forward the chunk, or null when no trap sprang.</summary>
    private bool? Spring(ReadOnlySpan<byte> chunk)
    {
        lock (_gate)
        {
            if (_trap is not { } trap || chunk.IndexOf(trap.Marker) < 0)
            {
                return null;
            }

            _trap = null;
            if (trap.Forward)
            {
                _repliesFlowing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            else
            {
                _flowing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            trap.Sprung.TrySetResult();
            return trap.Forward;
        }
    }
}
