using System.Globalization;
using System.Net;
using Yarp.ReverseProxy.Configuration;

namespace SdKit.Yarp.Destinations;

/// <summary>
/// Turns an instance into a YARP <see cref="DestinationConfig"/>: the one place that mapping lives, so that when
/// instances become typed (metadata, weight, zone) only this file learns to copy them into destination metadata.
/// </summary>
internal static class InstanceDestinations
{
    /// <summary>The metadata key holding the instance string as registered.</summary>
    public const string InstanceKey = "sdkit.instance";

    /// <summary>The metadata key holding the service name the destination was resolved for.</summary>
    public const string ServiceKey = "sdkit.service";

    /// <summary>
    /// Returns the destination of <paramref name="instance"/>: a URI instance is the address as it is, a
    /// <c>host:port</c> instance gets <paramref name="scheme"/>; the configured destination's metadata, host and health
    /// address stay, with the instance and service added. <see langword="null"/> for an instance that is neither.
    /// </summary>
    public static DestinationConfig? Create(DestinationConfig configured, string service, string instance, string scheme)
    {
        string address;
        if (instance.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(instance, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            {
                return null;
            }

            address = uri.ToString();
        }
        else
        {
            var colon = instance.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(instance.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is <= 0 or > IPEndPoint.MaxPort)
            {
                return null;
            }

            address = $"{scheme}://{instance}";
            if (!Uri.TryCreate(address, UriKind.Absolute, out _))
            {
                return null;
            }
        }

        var metadata = new Dictionary<string, string>(configured.Metadata ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase)
        {
            [InstanceKey] = instance,
            [ServiceKey] = service,
        };
        return configured with { Address = address, Metadata = metadata };
    }
}
