using System.Globalization;
using System.Net;
using SdKit.Instances;
using SdKit.Instances.Codecs;
using Yarp.ReverseProxy.Configuration;

namespace SdKit.Yarp.Destinations;

/// <summary>
/// Turns an instance into a YARP <see cref="DestinationConfig"/>: the one place that mapping lives. A decoded
/// instance's metadata, weight and zone become destination metadata.
/// </summary>
internal static class InstanceDestinations
{
    /// <summary>The metadata key holding the instance string as registered.</summary>
    public const string InstanceKey = "sdkit.instance";

    /// <summary>The metadata key holding the service name the destination was resolved for.</summary>
    public const string ServiceKey = "sdkit.service";

    /// <summary>The metadata key holding the instance's id (a plain string is its own id).</summary>
    public const string IdKey = "sdkit.id";

    /// <summary>The metadata key holding the instance's weight.</summary>
    public const string WeightKey = "sdkit.weight";

    /// <summary>The metadata key holding the instance's zone, when it has one.</summary>
    public const string ZoneKey = "sdkit.zone";

    /// <summary>
    /// Returns the destination of <paramref name="instance"/> and the id that names it. A plain URI instance is the
    /// address as it is, a <c>host:port</c> instance gets <paramref name="scheme"/>; in another format the instance is
    /// decoded and its scheme (or <paramref name="scheme"/>), host and port make the address, and a disabled one is
    /// left out (<c>Disabled</c>). The destination's metadata is the instance's metadata, then the configured
    /// destination's (which wins on a clash), then SdKit's keys; host and health address stay as configured.
    /// <see langword="null"/> for an instance that cannot be called.
    /// </summary>
    public static (DestinationConfig? Destination, string Id, bool Disabled) Create(DestinationConfig configured, string service, string instance, string scheme, IInstanceCodec codec)
    {
        ServiceInstance? typed;
        string? address;
        if (codec is PlainInstanceCodec)
        {
            address = PlainAddress(instance, scheme);
            typed = address is null ? null : codec.Decode(instance).Instance;
        }
        else
        {
            typed = codec.Decode(instance).Instance;
            if (typed is { Enabled: false })
            {
                return (null, typed.Id, true);
            }

            address = typed is null || typed.Port is <= 0 or > IPEndPoint.MaxPort
                ? null
                : TypedAddress(typed, scheme);
        }

        if (address is null)
        {
            return (null, instance, false);
        }

        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in typed?.Metadata ?? System.Collections.Immutable.ImmutableSortedDictionary<string, string>.Empty)
        {
            metadata[pair.Key] = pair.Value;
        }

        foreach (var pair in configured.Metadata ?? new Dictionary<string, string>())
        {
            metadata[pair.Key] = pair.Value;
        }

        metadata[InstanceKey] = instance;
        metadata[ServiceKey] = service;
        var id = typed?.Id ?? instance;
        if (typed is not null)
        {
            metadata[IdKey] = id;
            metadata[WeightKey] = typed.Weight.ToString(CultureInfo.InvariantCulture);
            if (typed.Zone is { } zone)
            {
                metadata[ZoneKey] = zone;
            }
        }

        return (configured with { Address = address, Metadata = metadata }, id, false);
    }

    private static string? TypedAddress(ServiceInstance instance, string scheme)
    {
        return Uri.TryCreate($"{instance.Scheme ?? scheme}://{instance.Authority}", UriKind.Absolute, out var uri) ? uri.ToString() : null;
    }

    private static string? PlainAddress(string instance, string scheme)
    {
        if (instance.Contains("://", StringComparison.Ordinal))
        {
            return Uri.TryCreate(instance, UriKind.Absolute, out var uri) && !string.IsNullOrEmpty(uri.Host) ? uri.ToString() : null;
        }

        var colon = instance.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(instance.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is <= 0 or > IPEndPoint.MaxPort)
        {
            return null;
        }

        var address = $"{scheme}://{instance}";
        return Uri.TryCreate(address, UriKind.Absolute, out _) ? address : null;
    }
}
