using System.Net.Sockets;
using System.Text;
using SdKit.ZooKeeper.Client.Session;

namespace SdKit.ZooKeeper.Client;

/// <summary>
/// ZooKeeper's four-letter words (<c>ruok</c>, <c>srvr</c>, <c>mntr</c>, ...), for health checks and tests. Each opens
/// its own connection, sends the four bytes and reads until the server closes. The server must whitelist the command
/// (<c>4lw.commands.whitelist</c>; only <c>srvr</c> is allowed by default since 3.5.3).
/// </summary>
public static class ZooKeeperFourLetterWords
{
    private const int MaxReply = 1024 * 1024;

    /// <summary>Sends <paramref name="command"/> to one server and returns its reply.</summary>
    /// <param name="server">The server as <c>host:port</c> (the port defaults to 2181).</param>
    /// <param name="command">A four-letter word, for example <c>ruok</c>.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The reply text.</returns>
    /// <exception cref="ArgumentException">The server or command is malformed.</exception>
    /// <exception cref="ConnectionLossException">The server could not be reached.</exception>
    public static async Task<string> SendAsync(string server, string command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Length != 4 || !command.All(char.IsAsciiLetterLower))
        {
            throw new ArgumentException($"A four-letter word is four lowercase ASCII letters, not '{command}'.", nameof(command));
        }

        var parsed = ConnectString.Parse(server);
        if (parsed.Hosts.Count != 1 || parsed.Chroot is not null)
        {
            throw new ArgumentException($"Expected one 'host:port', not '{server}'.", nameof(server));
        }

        var host = parsed.Hosts[0];
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(host.Host, host.Port, cancellationToken).ConfigureAwait(false);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(command), cancellationToken).ConfigureAwait(false);
            using var reply = new MemoryStream();
            var buffer = new byte[8192];
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (reply.Length + read > MaxReply)
                {
                    throw new ZooKeeperProtocolException($"The '{command}' reply from {host} exceeds {MaxReply} bytes.");
                }

                reply.Write(buffer, 0, read);
            }

            return Encoding.UTF8.GetString(reply.GetBuffer(), 0, (int)reply.Length);
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            throw new ConnectionLossException(null, $"The four-letter word '{command}' to {host} failed: {ex.Message}", ex);
        }
    }

    /// <summary>Returns whether the server answers <c>ruok</c> with <c>imok</c> (it is running without error).</summary>
    /// <param name="server">The server as <c>host:port</c>.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns><see langword="true"/> when the server is ok; <see langword="false"/> when it answered otherwise or not at all.</returns>
    public static async Task<bool> IsOkAsync(string server, CancellationToken cancellationToken = default)
    {
        try
        {
            return await SendAsync(server, "ruok", cancellationToken).ConfigureAwait(false) == "imok";
        }
        catch (ConnectionLossException)
        {
            return false;
        }
    }

    /// <summary>Sends <c>mntr</c> and parses its <c>key&lt;TAB&gt;value</c> lines (<c>zk_version</c>, <c>zk_server_state</c>, ...).</summary>
    /// <param name="server">The server as <c>host:port</c>.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The metrics by name.</returns>
    public static async Task<IReadOnlyDictionary<string, string>> MonitorAsync(string server, CancellationToken cancellationToken = default)
    {
        var reply = await SendAsync(server, "mntr", cancellationToken).ConfigureAwait(false);
        var metrics = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in reply.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab > 0)
            {
                metrics[line[..tab]] = line[(tab + 1)..].TrimEnd('\r');
            }
        }

        return metrics;
    }

    /// <summary>Sends <c>srvr</c> and parses its <c>Key: value</c> lines (<c>Zookeeper version</c>, <c>Mode</c>, <c>Zxid</c>, ...).</summary>
    /// <param name="server">The server as <c>host:port</c>.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The fields by name.</returns>
    public static async Task<IReadOnlyDictionary<string, string>> ServerStatsAsync(string server, CancellationToken cancellationToken = default)
    {
        var reply = await SendAsync(server, "srvr", cancellationToken).ConfigureAwait(false);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in reply.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                fields[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        return fields;
    }
}
