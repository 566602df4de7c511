using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SdKit.Soak.Network;

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of one registry member, so that one client's connection can be broken while the
/// member and every other client stay healthy. Two ways to break it: <see cref="Reset"/> (connections reset, new ones
/// refused: what a crashed host or a closed firewall looks like) and <see cref="Blackhole"/> (connections stay open
/// but no byte passes: a partition, detected only by timeouts).
/// </summary>
internal sealed class LoopbackProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly ConcurrentDictionary<Link, byte> _links = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private volatile bool _refusing;
    private volatile bool _blackholed;

    public LoopbackProxy(int targetPort)
    {
        _target = new IPEndPoint(IPAddress.Loopback, targetPort);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    public string Address => "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>Resets every open connection and refuses new ones until <see cref="Heal"/>.</summary>
    public void Reset()
    {
        _refusing = true;
        foreach (var link in _links.Keys)
        {
            link.Abort();
        }
    }

    /// <summary>Stops forwarding bytes on open and new connections until <see cref="Heal"/>.</summary>
    public void Blackhole() => _blackholed = true;

    /// <summary>Lets traffic through again. Connections that were blackholed are reset: their streams are corrupt.</summary>
    public void Heal()
    {
        if (_blackholed)
        {
            foreach (var link in _links.Keys)
            {
                link.Abort();
            }
        }

        _blackholed = false;
        _refusing = false;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        foreach (var link in _links.Keys)
        {
            link.Abort();
        }

        await _acceptLoop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            if (_refusing)
            {
                client.LingerState = new LingerOption(true, 0);
                client.Dispose();
                continue;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(Socket client)
    {
        var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.NoDelay = true;
        var link = new Link(client, upstream);
        _links[link] = 0;
        try
        {
            await upstream.ConnectAsync(_target, _stop.Token).ConfigureAwait(false);
            await Task.WhenAll(PumpAsync(client, upstream), PumpAsync(upstream, client)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The member is down, the proxy stops, or the link was reset on purpose: the client sees a broken connection.
        }
        finally
        {
            _links.TryRemove(link, out _);
            link.Abort();
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                if (_blackholed)
                {
                    continue;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            from.Dispose();
            to.Dispose();
        }
    }

    private sealed class Link(Socket client, Socket upstream)
    {
        public void Abort()
        {
            foreach (var socket in new[] { client, upstream })
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
        }
    }
}
