using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SdKit.Cli.TimeService;

/// <summary>The seed's client side: dial an instance, send <c>timestamp</c>, read the reply to the end.</summary>
/// <remarks>
/// The seed's server writes its reply and closes without reading the request, so its kernel answers the unread
/// <c>timestamp</c> with a reset, which can arrive after the whole reply. Like Go's <c>ioutil.ReadAll</c>, the client
/// keeps what it has received and takes a reset after data as the end of the reply; a reset before any data is a
/// failure.
/// </remarks>
internal static class TimeClient
{
    public static async ValueTask<string> CallAsync(string instance, CancellationToken cancellationToken)
    {
        if (!IPEndPoint.TryParse(instance, out var endPoint) || endPoint.Port == 0)
        {
            throw new CliException($"the instance '{instance}' is not an ip:port address");
        }

        using var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
        await socket.SendAsync("timestamp"u8.ToArray(), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        socket.Shutdown(SocketShutdown.Send);
        using var reply = new MemoryStream();
        var buffer = new byte[256];
        while (true)
        {
            int read;
            try
            {
                read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset && reply.Length > 0)
            {
                break;
            }

            if (read == 0)
            {
                break;
            }

            reply.Write(buffer, 0, read);
        }

        return Encoding.UTF8.GetString(reply.GetBuffer(), 0, (int)reply.Length);
    }
}
