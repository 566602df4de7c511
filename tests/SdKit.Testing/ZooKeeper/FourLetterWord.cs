using System.Net.Sockets;
using System.Text;

namespace SdKit.Testing.ZooKeeper;

/// <summary>Sends a ZooKeeper four-letter word (<c>ruok</c>, <c>srvr</c>, ...) for fixtures, without any client library.</summary>
public static class FourLetterWord
{
    /// <summary>Sends <paramref name="command"/> to 127.0.0.1:<paramref name="port"/> and returns the reply, or <see langword="null"/> if the server did not answer.</summary>
    public static async Task<string?> TrySendAsync(int port, string command, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port, cts.Token).ConfigureAwait(false);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(command), cts.Token).ConfigureAwait(false);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return await reader.ReadToEndAsync(cts.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return null;
        }
    }
}
