using System.Globalization;

namespace SdKit.ZooKeeper.Client.Session;

/// <summary>A parsed connect string: <c>host1:port1,[::1]:port2/chroot</c>.</summary>
internal sealed record ConnectString(IReadOnlyList<HostAndPort> Hosts, string? Chroot)
{
    public const int DefaultPort = 2181;

    public static ConnectString Parse(string connectString)
    {
        if (string.IsNullOrWhiteSpace(connectString))
        {
            throw new ArgumentException("The connect string is empty; expected 'host:port[,host:port...][/chroot]'.", nameof(connectString));
        }

        string? chroot = null;
        var hostsPart = connectString;
        var slash = connectString.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            hostsPart = connectString[..slash];
            var path = connectString[slash..];
            if (!ZooKeeperPaths.IsValid(path))
            {
                throw new ArgumentException($"The chroot '{path}' in the connect string '{connectString}' is not a valid ZooKeeper path.", nameof(connectString));
            }

            chroot = path == "/" ? null : path;
        }

        var hosts = new List<HostAndPort>();
        foreach (var entry in hostsPart.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            hosts.Add(ParseHost(entry, connectString));
        }

        if (hosts.Count == 0)
        {
            throw new ArgumentException($"The connect string '{connectString}' names no host.", nameof(connectString));
        }

        return new ConnectString(hosts, chroot);
    }

    private static HostAndPort ParseHost(string entry, string connectString)
    {
        string host;
        string? portText = null;
        if (entry.StartsWith('['))
        {
            var close = entry.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw new ArgumentException($"The host '{entry}' in the connect string '{connectString}' lacks its closing ']'.", nameof(connectString));
            }

            host = entry[1..close];
            var rest = entry[(close + 1)..];
            if (rest.Length > 0)
            {
                portText = rest.StartsWith(':') ? rest[1..] : throw new ArgumentException($"Unexpected '{rest}' after the IPv6 address in '{entry}'.", nameof(connectString));
            }
        }
        else
        {
            var colon = entry.LastIndexOf(':');
            if (colon >= 0 && entry.IndexOf(':', StringComparison.Ordinal) != colon)
            {
                host = entry;
            }
            else
            {
                host = colon >= 0 ? entry[..colon] : entry;
                portText = colon >= 0 ? entry[(colon + 1)..] : null;
            }
        }

        var port = DefaultPort;
        if (portText is not null && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            throw new ArgumentException($"The port '{portText}' of '{entry}' in the connect string '{connectString}' is not a number from 1 to 65535.", nameof(connectString));
        }

        if (host.Length == 0)
        {
            throw new ArgumentException($"The entry '{entry}' in the connect string '{connectString}' has no host.", nameof(connectString));
        }

        return new HostAndPort(host, port);
    }
}

/// <summary>One server of the ensemble.</summary>
internal readonly record struct HostAndPort(string Host, int Port)
{
    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
