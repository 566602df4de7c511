using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using Grpc.Net.Client.Balancer;

namespace SdKit.Grpc.Resolution;

/// <summary>
/// Turns an instance into a <see cref="BalancerAddress"/>: the one place that mapping lives, so that when instances
/// become typed (metadata, weight, zone) only this file learns to copy them into <see cref="BalancerAttributes"/>.
/// </summary>
/// <remarks>
/// An instance string is a URI (<c>http://127.0.0.1:5001</c>, the host and port are taken) or <c>host:port</c>
/// (<c>[::1]:5001</c> for IPv6). Anything else cannot be dialled and is left out, with a log line from the resolver.
/// </remarks>
internal static class InstanceAddresses
{
    /// <summary>Tries to read <paramref name="instance"/> as an address of <paramref name="service"/>.</summary>
    public static bool TryCreate(string instance, string service, [NotNullWhen(true)] out BalancerAddress? address)
    {
        address = null;
        if (!TryParse(instance, out var host, out var port))
        {
            return false;
        }

        address = new BalancerAddress(host, port);
        address.Attributes.Set(SdKitBalancerAttributes.Instance, instance);
        address.Attributes.Set(SdKitBalancerAttributes.Service, service);
        return true;
    }

    private static bool TryParse(string instance, [NotNullWhen(true)] out string? host, out int port)
    {
        host = null;
        port = 0;
        if (string.IsNullOrWhiteSpace(instance))
        {
            return false;
        }

        if (instance.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(instance, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host) || uri.Port <= 0)
            {
                return false;
            }

            host = uri.Host.Trim('[', ']');
            port = uri.Port;
            return true;
        }

        if (IPEndPoint.TryParse(instance, out var ip) && ip.Port != 0
            && (ip.Address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6 || instance.StartsWith('[')))
        {
            host = ip.Address.ToString();
            port = ip.Port;
            return true;
        }

        var colon = instance.LastIndexOf(':');
        if (colon > 0
            && int.TryParse(instance.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port)
            && port is > 0 and <= IPEndPoint.MaxPort
            && Uri.CheckHostName(instance[..colon]) == UriHostNameType.Dns)
        {
            host = instance[..colon];
            return true;
        }

        port = 0;
        return false;
    }
}
