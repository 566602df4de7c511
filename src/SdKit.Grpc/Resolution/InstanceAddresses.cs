using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using Grpc.Net.Client.Balancer;
using SdKit.Instances;
using SdKit.Instances.Codecs;

namespace SdKit.Grpc.Resolution;

/// <summary>
/// Turns an instance into a <see cref="BalancerAddress"/>: the one place that mapping lives. The decoded instance
/// (metadata, weight, zone, id) rides on it as <see cref="SdKitBalancerAttributes.TypedInstance"/>.
/// </summary>
/// <remarks>
/// A plain instance string is a URI (<c>http://127.0.0.1:5001</c>, the host and port are taken) or <c>host:port</c>
/// (<c>[::1]:5001</c> for IPv6). In another format (SdKit's or Curator's JSON) the string is decoded first and its
/// host and port taken; a disabled instance is left out quietly. Anything else cannot be dialled and is left out,
/// with a log line from the resolver.
/// </remarks>
internal static class InstanceAddresses
{
    /// <summary>Tries to read <paramref name="instance"/> as an address of <paramref name="service"/>; <paramref name="disabled"/> says a decoded instance asked not to be used.</summary>
    public static bool TryCreate(string instance, string service, IInstanceCodec codec, [NotNullWhen(true)] out BalancerAddress? address, out bool disabled)
    {
        address = null;
        disabled = false;
        string? host;
        int port;
        ServiceInstance? typed;
        if (codec is PlainInstanceCodec)
        {
            // The plain strings are read as before typed instances; the typed view rides along when it decodes.
            if (!TryParse(instance, out host, out port))
            {
                return false;
            }

            typed = codec.Decode(instance).Instance;
        }
        else
        {
            typed = codec.Decode(instance).Instance;
            if (typed is null || typed.Port is <= 0 or > IPEndPoint.MaxPort)
            {
                return false;
            }

            if (!typed.Enabled)
            {
                disabled = true;
                return false;
            }

            (host, port) = (typed.Host.Trim('[', ']'), typed.Port);
        }

        address = new BalancerAddress(host, port);
        address.Attributes.Set(SdKitBalancerAttributes.Instance, instance);
        address.Attributes.Set(SdKitBalancerAttributes.Service, service);
        if (typed is not null)
        {
            address.Attributes.Set(SdKitBalancerAttributes.TypedInstance, typed);
        }

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
