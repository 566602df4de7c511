using System.Net;
using System.Net.Sockets;

namespace SdKit.Testing.Network;

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of one target port, for connection-loss and expiry tests: it can cut every
/// connection at once (<see cref="CutAll"/>) or stall them (<see cref="Stall"/>: bytes are held, not forwarded, and new
/// connections are accepted but not forwarded either) until <see cref="Resume"/>, or hold only the target's replies
/// (<see cref="StallReplies"/>: requests still reach the server, its answers wait).
/// </summary>
public sealed class LoopbackProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(Socket Client, Socket Target)> _connections = [];
    private readonly object _lock = new();
    private readonly Task _acceptLoop;
    private readonly List<(int Count, TaskCompletionSource Accepted)> _acceptWaiters = [];
    private TaskCompletionSource _flowing = CompletedGate();
    private TaskCompletionSource _repliesFlowing = CompletedGate();

    private LoopbackProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>Gets the port clients connect to.</summary>
    public int Port { get; }

    /// <summary>Gets the <c>127.0.0.1:port</c> clients connect to.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>Gets the number of connections accepted so far.</summary>
    public int AcceptedCount { get; private set; }

    /// <summary>Completes once more than <paramref name="count"/> connections have been accepted in all.</summary>
    /// <param name="count">The number of connections already seen.</param>
    /// <returns>A task that completes with the next accepted connection (at once if it already came).</returns>
    public Task AcceptedMoreThanAsync(int count)
    {
        lock (_lock)
        {
            if (AcceptedCount > count)
            {
                return Task.CompletedTask;
            }

            var accepted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _acceptWaiters.Add((count, accepted));
            return accepted.Task;
        }
    }

    /// <summary>Starts a proxy forwarding to 127.0.0.1:<paramref name="targetPort"/>.</summary>
    public static LoopbackProxy Start(int targetPort) => new(targetPort);

    /// <summary>Closes every open connection (both sides), as a network failure would.</summary>
    public void CutAll()
    {
        List<(Socket Client, Socket Target)> open;
        lock (_lock)
        {
            open = [.. _connections];
            _connections.Clear();
        }

        foreach (var (client, target) in open)
        {
            Close(client);
            Close(target);
        }
    }

    /// <summary>Holds all traffic: nothing is forwarded in either direction until <see cref="Resume"/>.</summary>
    public void Stall()
    {
        lock (_lock)
        {
            if (_flowing.Task.IsCompleted)
            {
                _flowing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    /// <summary>Holds what the target sends back, while requests still go through, until <see cref="Resume"/>.</summary>
    public void StallReplies()
    {
        lock (_lock)
        {
            if (_repliesFlowing.Task.IsCompleted)
            {
                _repliesFlowing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    /// <summary>Forwards traffic again, including what was held.</summary>
    public void Resume()
    {
        lock (_lock)
        {
            _flowing.TrySetResult();
            _repliesFlowing.TrySetResult();
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        Resume();
        CutAll();
        try
        {
            await _acceptLoop.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopping the listener ends the accept loop this way.
        }

        _stop.Dispose();
    }

    private static TaskCompletionSource CompletedGate()
    {
        var gate = new TaskCompletionSource();
        gate.SetResult();
        return gate;
    }

    private static void Close(Socket socket)
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

    private Task WhenFlowing(bool reply = false)
    {
        lock (_lock)
        {
            return reply ? Task.WhenAll(_flowing.Task, _repliesFlowing.Task) : _flowing.Task;
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            lock (_lock)
            {
                AcceptedCount++;
                foreach (var waiter in _acceptWaiters.Where(w => AcceptedCount > w.Count).ToList())
                {
                    _acceptWaiters.Remove(waiter);
                    waiter.Accepted.TrySetResult();
                }
            }

            _ = ForwardAsync(client);
        }
    }

    private async Task ForwardAsync(Socket client)
    {
        var target = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.NoDelay = true;
        try
        {
            await WhenFlowing().WaitAsync(_stop.Token).ConfigureAwait(false);
            await target.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            Close(client);
            Close(target);
            return;
        }

        lock (_lock)
        {
            _connections.Add((client, target));
        }

        await Task.WhenAny(PumpAsync(client, target, reply: false), PumpAsync(target, client, reply: true)).ConfigureAwait(false);
        lock (_lock)
        {
            _connections.Remove((client, target));
        }

        Close(client);
        Close(target);
    }

    private async Task PumpAsync(Socket from, Socket to, bool reply)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }

                await WhenFlowing(reply).WaitAsync(_stop.Token).ConfigureAwait(false);
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The other side or CutAll closed the connection.
        }
    }
}
