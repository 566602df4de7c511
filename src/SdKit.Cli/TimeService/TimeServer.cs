using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SdKit.Cli.TimeService;

/// <summary>
/// The seed's TCP time server: every connection is answered with <c>&lt;ip:port&gt;: &lt;current time&gt;</c> and
/// closed.
/// </summary>
internal sealed class TimeServer : IAsyncDisposable
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(1);
    private readonly TcpListener _listener;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _acceptLoop;
    private int _disposed;
    private int _answered;

    private TimeServer(TcpListener listener, TimeProvider time)
    {
        _listener = listener;
        _time = time;
        Address = ((IPEndPoint)listener.LocalEndpoint).ToString();
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Gets the address listened on, <c>ip:port</c> (the real port when 0 was asked for).</summary>
    public string Address { get; }

    /// <summary>Gets how many connections were answered.</summary>
    public int Answered => Volatile.Read(ref _answered);

    /// <summary>Starts listening on <paramref name="endPoint"/>.</summary>
    /// <exception cref="CliException">The address cannot be listened on.</exception>
    public static TimeServer Start(IPEndPoint endPoint, TimeProvider time)
    {
        var listener = new TcpListener(endPoint);
        try
        {
            listener.Start();
        }
        catch (SocketException ex)
        {
            listener.Dispose();
            throw new CliException($"cannot listen on {endPoint}: {ex.Message}", ex);
        }

        return new TimeServer(listener, time);
    }

    /// <summary>
    /// The reply for one connection, in the seed's format: <c>ip:port: </c> and the time as Go's
    /// <c>time.Time.String()</c> writes it (<c>2026-12-07 02:11:47.9435779 +0000 UTC</c>): the fraction without
    /// trailing zeros (none at all on a whole second), the offset as <c>+hhmm</c>, then the zone's abbreviation. Go's
    /// monotonic clock reading (<c>m=+27.11</c>) is left out. .NET knows no zone abbreviations, so the name is
    /// <c>UTC</c> at offset zero and the numeric offset otherwise, as Go writes a zone it has no name for.
    /// </summary>
    public static string Reply(string address, DateTimeOffset now)
    {
        var fraction = now.ToString("FFFFFFF", CultureInfo.InvariantCulture);
        var offset = now.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var numeric = string.Create(CultureInfo.InvariantCulture, $"{sign}{Math.Abs(offset.Hours):00}{Math.Abs(offset.Minutes):00}");
        var zone = offset == TimeSpan.Zero ? "UTC" : numeric;
        var seconds = now.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        return fraction.Length == 0 ? $"{address}: {seconds} {numeric} {zone}" : $"{address}: {seconds}.{fraction} {numeric} {zone}";
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _acceptLoop.ConfigureAwait(false);
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
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException && _stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // One failed accept (a client that gave up) must not stop the server.
            }

            _ = AnswerAsync(socket);
        }
    }

    private async Task AnswerAsync(Socket socket)
    {
        using (socket)
        {
            try
            {
                var reply = Encoding.UTF8.GetBytes(Reply(Address, _time.GetLocalNow()));
                await socket.SendAsync(reply, SocketFlags.None, _stopping.Token).ConfigureAwait(false);
                socket.Shutdown(SocketShutdown.Send);

                // Read what the client sent ("timestamp") before closing: closing with unread data would reset the
                // connection and could destroy the reply in flight.
                using var drain = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
                drain.CancelAfter(DrainTimeout);
                var buffer = new byte[256];
                while (await socket.ReceiveAsync(buffer, SocketFlags.None, drain.Token).ConfigureAwait(false) > 0)
                {
                }

                Interlocked.Increment(ref _answered);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away; nothing to answer.
            }
        }
    }
}
