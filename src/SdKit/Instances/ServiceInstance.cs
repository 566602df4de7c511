using System.Collections.Immutable;
using System.Globalization;

namespace SdKit.Instances;

/// <summary>
/// One instance of a service as a typed value: where it is, how to weigh it, and what it says about itself.
/// </summary>
/// <remarks>
/// The string API (<see cref="InstanceEvent.Instances"/>) stays the source of truth; a <see cref="ServiceInstance"/>
/// is a decoded view of one of those strings, and <see cref="Raw"/> keeps the string it came from so nothing the
/// registry holds is lost. Two instances are equal when every typed field is equal; <see cref="Raw"/> is left out
/// so that a re-registration that only moves a timestamp is not reported as a change.
/// </remarks>
public sealed class ServiceInstance : IEquatable<ServiceInstance>
{
    /// <summary>Initializes a new instance, validating every field.</summary>
    /// <param name="id">What identifies the instance within its service (the node name, the key, the string itself).</param>
    /// <param name="host">The host name or IP address.</param>
    /// <param name="port">The port, 0 when the registry does not say (the seed's etcd JSON carries only an IP).</param>
    /// <param name="scheme">The scheme, for example <c>https</c>, or <see langword="null"/> when the registry does not say.</param>
    /// <param name="metadata">Free-form key/value pairs; copied and sorted ordinally.</param>
    /// <param name="weight">The relative weight for weighted balancing; greater than zero.</param>
    /// <param name="zone">The zone or locality, or <see langword="null"/>.</param>
    /// <param name="enabled">False when the instance is registered but asks not to be used.</param>
    /// <param name="raw">The registry's string this instance was decoded from, or <see langword="null"/> when built in code.</param>
    /// <exception cref="ArgumentException">A field is empty or out of range; the message names the field and the value.</exception>
    public ServiceInstance(
        string id,
        string host,
        int port,
        string? scheme = null,
        IEnumerable<KeyValuePair<string, string>>? metadata = null,
        int weight = 1,
        string? zone = null,
        bool enabled = true,
        string? raw = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        if (port is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(port), port, $"Port {port.ToString(CultureInfo.InvariantCulture)} of instance '{id}' is outside 0..65535.");
        }

        if (weight <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(weight), weight, $"Weight {weight.ToString(CultureInfo.InvariantCulture)} of instance '{id}' must be greater than zero.");
        }

        Id = id;
        Host = host;
        Port = port;
        Scheme = string.IsNullOrEmpty(scheme) ? null : scheme;
        Metadata = metadata is null
            ? ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal)
            : ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, metadata);
        Weight = weight;
        Zone = string.IsNullOrEmpty(zone) ? null : zone;
        Enabled = enabled;
        Raw = raw;
    }

    /// <summary>Gets what identifies the instance within its service; deltas match instances by it.</summary>
    public string Id { get; }

    /// <summary>Gets the host name or IP address.</summary>
    public string Host { get; }

    /// <summary>Gets the port, or 0 when the registry did not say.</summary>
    public int Port { get; }

    /// <summary>Gets <c>host:port</c> as a URI or a dialler writes it: an IPv6 host in brackets (<c>[::1]:8080</c>).</summary>
    public string Authority => $"{(Host.Contains(':', StringComparison.Ordinal) && !Host.StartsWith('[') ? $"[{Host}]" : Host)}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Gets the scheme, or <see langword="null"/> when the registry did not say.</summary>
    public string? Scheme { get; }

    /// <summary>Gets the metadata, sorted ordinally by key.</summary>
    public ImmutableSortedDictionary<string, string> Metadata { get; }

    /// <summary>Gets the relative weight (1 unless the registry says otherwise).</summary>
    public int Weight { get; }

    /// <summary>Gets the zone, or <see langword="null"/>.</summary>
    public string? Zone { get; }

    /// <summary>Gets a value indicating whether the instance wants traffic.</summary>
    public bool Enabled { get; }

    /// <summary>Gets the registry's string this instance was decoded from, or <see langword="null"/> when built in code.</summary>
    public string? Raw { get; }

    /// <summary>
    /// Decodes a bare instance string the way go-kit and the seed write them: <c>host:port</c>, <c>[v6]:port</c>,
    /// a URI such as <c>http://host:port/path</c>, or a bare host (port 0). The id is the string itself.
    /// </summary>
    /// <param name="raw">The instance string.</param>
    /// <returns>The instance, with no metadata.</returns>
    /// <exception cref="FormatException">The string is empty or its port is not a number in 0..65535; the message names the string.</exception>
    public static ServiceInstance FromRaw(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        return TryParseAddress(raw, out var host, out var port, out var scheme, out var reason)
            ? new ServiceInstance(raw, host, port, scheme, raw: raw)
            : throw new FormatException(reason);
    }

    /// <summary>Returns a copy carrying <paramref name="raw"/> as the string it was decoded from.</summary>
    /// <param name="raw">The registry's string.</param>
    /// <returns>A new instance with the same typed fields.</returns>
    public ServiceInstance WithRaw(string? raw) => new(Id, Host, Port, Scheme, Metadata, Weight, Zone, Enabled, raw);

    /// <inheritdoc/>
    public bool Equals(ServiceInstance? other)
    {
        if (other is null)
        {
            return false;
        }

        if (ReferenceEquals(this, other))
        {
            return true;
        }

        return string.Equals(Id, other.Id, StringComparison.Ordinal)
            && string.Equals(Host, other.Host, StringComparison.Ordinal)
            && Port == other.Port
            && string.Equals(Scheme, other.Scheme, StringComparison.Ordinal)
            && Weight == other.Weight
            && string.Equals(Zone, other.Zone, StringComparison.Ordinal)
            && Enabled == other.Enabled
            && MetadataEqual(Metadata, other.Metadata);
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as ServiceInstance);

    /// <inheritdoc/>
    public override int GetHashCode()
        => HashCode.Combine(
            StringComparer.Ordinal.GetHashCode(Id),
            StringComparer.Ordinal.GetHashCode(Host),
            Port,
            Weight,
            Enabled,
            Metadata.Count);

    /// <inheritdoc/>
    public override string ToString()
    {
        var address = Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
        return Scheme is null ? $"{Id} ({address})" : $"{Id} ({Scheme}://{address})";
    }

    internal static bool TryParseAddress(string raw, out string host, out int port, out string? scheme, out string reason)
    {
        host = string.Empty;
        port = 0;
        scheme = null;
        reason = string.Empty;
        if (string.IsNullOrWhiteSpace(raw))
        {
            reason = $"Instance string '{raw}' is empty.";
            return false;
        }

        if (raw.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(raw, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            {
                reason = $"Instance string '{raw}' looks like a URI but does not parse as one.";
                return false;
            }

            host = uri.Host.Trim('[', ']');
            port = uri.Port < 0 ? 0 : uri.Port;
            scheme = uri.Scheme;
            return true;
        }

        string portText;
        if (raw.StartsWith('['))
        {
            var close = raw.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                reason = $"Instance string '{raw}' opens an IPv6 bracket and never closes it.";
                return false;
            }

            host = raw[1..close];
            var rest = raw[(close + 1)..];
            if (rest.Length == 0)
            {
                return true;
            }

            if (rest[0] != ':')
            {
                reason = $"Instance string '{raw}' has '{rest}' after its IPv6 address where ':port' was expected.";
                return false;
            }

            portText = rest[1..];
        }
        else
        {
            var colon = raw.LastIndexOf(':');
            if (colon < 0)
            {
                host = raw;
                return true;
            }

            if (raw.IndexOf(':', StringComparison.Ordinal) != colon)
            {
                // A bare IPv6 address without brackets has no port.
                host = raw;
                return true;
            }

            host = raw[..colon];
            portText = raw[(colon + 1)..];
        }

        if (host.Length == 0)
        {
            reason = $"Instance string '{raw}' has no host.";
            return false;
        }

        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535)
        {
            reason = $"Instance string '{raw}' has port '{portText}', which is not a number in 0..65535.";
            port = 0;
            return false;
        }

        return true;
    }

    private static bool MetadataEqual(ImmutableSortedDictionary<string, string> a, ImmutableSortedDictionary<string, string> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        foreach (var pair in a)
        {
            if (!b.TryGetValue(pair.Key, out var value) || !string.Equals(pair.Value, value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
