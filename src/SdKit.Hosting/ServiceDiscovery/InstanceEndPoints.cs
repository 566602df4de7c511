using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.ServiceDiscovery;

namespace SdKit.Hosting.ServiceDiscovery;

/// <summary>
/// Reads an instance string as a network endpoint: a URI (<c>http://127.0.0.1:8080</c>) becomes a
/// <see cref="UriEndPoint"/>, <c>ip:port</c> an <see cref="IPEndPoint"/>, <c>host:port</c> a <see cref="DnsEndPoint"/>.
/// </summary>
internal static class InstanceEndPoints
{
    /// <summary>Tries to read <paramref name="instance"/>; returns <see langword="false"/> for anything else.</summary>
    public static bool TryParse(string instance, [NotNullWhen(true)] out EndPoint? endPoint)
    {
        endPoint = null;
        if (string.IsNullOrWhiteSpace(instance))
        {
            return false;
        }

        if (instance.Contains("://", StringComparison.Ordinal))
        {
            if (Uri.TryCreate(instance, UriKind.Absolute, out var uri) && !string.IsNullOrEmpty(uri.Host))
            {
                endPoint = new UriEndPoint(uri);
                return true;
            }

            return false;
        }

        if (IPEndPoint.TryParse(instance, out var ip) && ip.Port != 0 && (ip.Address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6 || instance.StartsWith('[')))
        {
            endPoint = ip;
            return true;
        }

        var colon = instance.LastIndexOf(':');
        if (colon > 0
            && int.TryParse(instance.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            && port is > 0 and <= IPEndPoint.MaxPort
            && Uri.CheckHostName(instance[..colon]) == UriHostNameType.Dns)
        {
            endPoint = new DnsEndPoint(instance[..colon], port);
            return true;
        }

        return false;
    }

    /// <summary>
    /// Makes the endpoint of a decoded instance: a URI when it names a scheme, else an IP or DNS endpoint. False when
    /// it has no port (a seed etcd value without one), since the resolver could not call it.
    /// </summary>
    public static bool TryCreate(SdKit.Instances.ServiceInstance instance, [NotNullWhen(true)] out EndPoint? endPoint)
    {
        endPoint = null;
        if (instance.Port == 0)
        {
            return false;
        }

        return TryParse(instance.Scheme is null ? instance.Authority : $"{instance.Scheme}://{instance.Authority}", out endPoint);
    }

    /// <summary>Tells whether an endpoint may be used for a query limited to <paramref name="includedSchemes"/>.</summary>
    public static bool MatchesSchemes(EndPoint endPoint, IReadOnlyList<string> includedSchemes)
    {
        if (includedSchemes.Count == 0 || endPoint is not UriEndPoint uriEndPoint)
        {
            return true;
        }

        foreach (var scheme in includedSchemes)
        {
            if (string.Equals(scheme, uriEndPoint.Uri.Scheme, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
