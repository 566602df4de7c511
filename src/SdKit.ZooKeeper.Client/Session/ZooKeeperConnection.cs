using System.Buffers;
using System.Net;
using System.Net.Sockets;
using SdKit.ZooKeeper.Client.Protocol;

namespace SdKit.ZooKeeper.Client.Session;

/// <summary>
/// One TCP connection to one server, carrying the session after a successful handshake: a write loop that batches
/// pipelined requests, a read loop that matches replies to them in order, and a monitor that pings and detects a
/// silent server. It ends once, through <see cref="Abort"/>, failing everything still pending with connection loss.
/// </summary>
internal sealed partial class ZooKeeperConnection : IAsyncDisposable
{
    private const int InitialReadBuffer = 64 * 1024;

    private readonly ZooKeeperSession _session;
    private readonly Socket _socket;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<Exception> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _pendingLock = new();
    private readonly Queue<Operation> _pending = new();
    private readonly Queue<Operation> _pendingAuth = new();
    private bool _closed;
    private byte[] _readBuffer = [];
    private int _readStart;
    private int _readEnd;
    private long _lastReceive;
    private long _lastSend;
    private int _xid;

    private ZooKeeperConnection(ZooKeeperSession session, Socket socket, HostAndPort server)
    {
        _session = session;
        _socket = socket;
        Server = server;
    }

    public HostAndPort Server { get; }

    public int NegotiatedTimeoutMs { get; private set; }

    public bool IsReadOnly { get; private set; }

    /// <summary>Gets a task that completes with the reason once the connection has ended.</summary>
    public Task<Exception> Ended => _ended.Task;

    private TimeProvider Time => _session.Time;

    /// <summary>Connects to <paramref name="server"/>, performs the handshake and sends the stored credentials.</summary>
    /// <exception cref="SessionExpiredException">The server says the session is expired.</exception>
    /// <exception cref="AuthFailedException">The server refused the credentials.</exception>
    public static async Task<ZooKeeperConnection> OpenAsync(ZooKeeperSession session, HostAndPort server, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        var addresses = IPAddress.TryParse(server.Host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(server.Host, timeoutSource.Token).ConfigureAwait(false);
        Exception? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            var connection = new ZooKeeperConnection(session, socket, server);
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, server.Port), timeoutSource.Token).ConfigureAwait(false);
                await connection.HandshakeAsync(timeoutSource.Token).ConfigureAwait(false);
                return connection;
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                last = new TimeoutException($"No handshake from {server} ({address}) within {timeout.TotalMilliseconds:0} ms.", ex);
            }
            catch (Exception ex) when (ex is SocketException or IOException or ZooKeeperProtocolException)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                last = ex;
            }
            catch
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    /// <summary>Starts the loops; <paramref name="first"/> (SetWatches batches) goes out before any queued request.</summary>
    public void Start(IReadOnlyList<Operation> first)
    {
        _lastReceive = _lastSend = Time.GetTimestamp();
        _ = RunGuardedAsync(async ct =>
        {
            try
            {
                await ReadLoopAsync(ct).ConfigureAwait(false);
            }
            finally
            {
                // Only the read loop touches the buffer, so only it may give the buffer back.
                ArrayPool<byte>.Shared.Return(Interlocked.Exchange(ref _readBuffer, []));
            }
        });
        _ = RunGuardedAsync(ct => WriteLoopAsync(first, ct));
        _ = RunGuardedAsync(MonitorAsync);
    }

    /// <summary>Ends the connection once: fails every pending request with connection loss and closes the socket.</summary>
    public void Abort(Exception reason)
    {
        List<Operation> failed;
        lock (_pendingLock)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            _acceptsDirect = false;
            failed = [.. _pending, .. _pendingAuth];
            _pending.Clear();
            _pendingAuth.Clear();
        }

        _stop.Cancel();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already reset by the peer; closing below is all that is left.
        }
        catch (ObjectDisposedException)
        {
            // Closed by a concurrent dispose.
        }

        _socket.Dispose();
        foreach (var operation in failed)
        {
            operation.Fail(ZooKeeperSession.FailureFor(operation, reason, Server));
        }

        // Last: whoever awaits Ended may dispose this connection at once.
        _ended.TrySetResult(reason);
    }

    public ValueTask DisposeAsync()
    {
        Abort(new ClientClosedException(null, $"The connection to {Server} was closed."));
        return ValueTask.CompletedTask;
    }

    private async Task RunGuardedAsync(Func<CancellationToken, Task> loop)
    {
        try
        {
            await loop(_stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Abort already recorded the reason.
        }
        catch (ObjectDisposedException) when (_closed)
        {
            // The socket was closed by Abort while a loop used it.
        }
        catch (Exception ex)
        {
            Abort(ex);
        }
    }

    private int NextXid()
    {
        var xid = _xid + 1;
        _xid = xid == int.MaxValue ? 0 : xid;
        return xid;
    }
}
