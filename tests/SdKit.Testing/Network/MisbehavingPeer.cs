using System.Net;
using System.Net.Sockets;

namespace SdKit.Testing.Network;

/// <summary>
/// A loopback TCP server that answers every connection with exactly the bytes it was given (garbage, a truncated
/// frame, an HTTP answer) after the client's first bytes arrive, then closes; with no bytes it stays silent. It is a
/// peer that behaves badly on purpose, to check that a client reports each kind of bad answer as what it is.
/// </summary>
public sealed class MisbehavingPeer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly byte[]? _answer;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _acceptLoop;
    private readonly List<Socket> _held = [];

    private MisbehavingPeer(byte[]? answer)
    {
        _answer = answer;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Gets the address, <c>127.0.0.1:port</c>.</summary>
    public string Address => _listener.LocalEndpoint.ToString()!;

    /// <summary>Starts a peer that answers with <paramref name="answer"/> and closes.</summary>
    public static MisbehavingPeer Answering(byte[] answer) => new(answer);

    /// <summary>Starts a peer that accepts, reads and never answers.</summary>
    public static MisbehavingPeer Silent() => new(null);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _acceptLoop.ConfigureAwait(false);
        lock (_held)
        {
            foreach (var socket in _held)
            {
                socket.Dispose();
            }
        }

        _listener.Dispose();
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = AnswerAsync(socket);
        }
    }

    private async Task AnswerAsync(Socket socket)
    {
        try
        {
            var request = new byte[4096];
            _ = await socket.ReceiveAsync(request, SocketFlags.None, _stopping.Token).ConfigureAwait(false);
            if (_answer is null)
            {
                lock (_held)
                {
                    _held.Add(socket);
                }

                return;
            }

            await socket.SendAsync(_answer, SocketFlags.None, _stopping.Token).ConfigureAwait(false);
            socket.Shutdown(SocketShutdown.Send);
            socket.Dispose();
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            socket.Dispose();
        }
    }
}
