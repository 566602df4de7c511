using SdKit.Client;

namespace SdKit.Instances.Codecs;

/// <summary>
/// The instance formats by name, as backend options and configuration sections spell them, and the one place that
/// makes the <see cref="IInstanceCodec"/> of a format.
/// </summary>
public static class InstanceFormats
{
    /// <summary>The bare string of go-kit and the seed (<c>host:port</c>, a URI): <see cref="PlainInstanceCodec"/>.</summary>
    public const string Plain = "plain";

    /// <summary>The seed's etcd JSON, <c>{"IP":"..."}</c>: <see cref="SeedEtcdJsonCodec"/>.</summary>
    public const string SeedEtcdJson = "seed-etcd-json";

    /// <summary>SdKit's own JSON with metadata, weight and zone: <see cref="SdKitJsonCodec"/>.</summary>
    public const string SdKitJson = "sdkit-json";

    /// <summary>Apache Curator x-discovery's JSON (<c>JsonInstanceSerializer</c>): <see cref="CuratorJsonCodec"/>.</summary>
    public const string Curator = "curator";

    /// <summary>Gets every known format name.</summary>
    public static IReadOnlyList<string> Names { get; } = [Plain, SeedEtcdJson, SdKitJson, Curator];

    /// <summary>Returns whether <paramref name="format"/> names a known format (ignoring case).</summary>
    /// <param name="format">The name.</param>
    /// <returns><see langword="true"/> when it is one of <see cref="Names"/>.</returns>
    public static bool IsKnown(string? format) => format is not null && Names.Contains(format, StringComparer.OrdinalIgnoreCase);

    /// <summary>Returns the known spelling of <paramref name="format"/> (lower case), or throws naming the setting and the value.</summary>
    /// <param name="format">The name to check.</param>
    /// <param name="settingName">The option or configuration key it came from, for the message (for example <c>SdKit:ZooKeeper:InstanceFormat</c>).</param>
    /// <returns>The format name as in <see cref="Names"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="format"/> is not a known format; the message names <paramref name="settingName"/>, the value and the known names.</exception>
    public static string Normalize(string? format, string settingName)
    {
        ArgumentException.ThrowIfNullOrEmpty(settingName);
        if (!IsKnown(format))
        {
            throw new ArgumentException($"{settingName} '{format}' is not an instance format (known: {string.Join(", ", Names)}).", settingName);
        }

        return format!.ToLowerInvariant();
    }

    /// <summary>Makes the codec of <paramref name="format"/> for the service at <paramref name="servicePath"/>.</summary>
    /// <param name="format">One of <see cref="Names"/> (ignoring case).</param>
    /// <param name="servicePath">The service path; its last segment is the service name Curator's JSON carries.</param>
    /// <param name="seedPort">The port the seed's etcd JSON leaves out (<see cref="SeedEtcdJsonCodec.Port"/>); 0 when unknown.</param>
    /// <param name="timeProvider">The clock for Curator's <c>registrationTimeUTC</c>; the system clock when <see langword="null"/>.</param>
    /// <returns>The codec.</returns>
    /// <exception cref="ArgumentException">The format is unknown, or the service path is not valid.</exception>
    public static IInstanceCodec CreateCodec(string format, string servicePath, int seedPort = 0, TimeProvider? timeProvider = null)
    {
        var path = ServicePaths.Normalize(servicePath);
        return Normalize(format, nameof(format)) switch
        {
            Plain => PlainInstanceCodec.Instance,
            SeedEtcdJson => new SeedEtcdJsonCodec(seedPort),
            SdKitJson => SdKitJsonCodec.Instance,
            _ => new CuratorJsonCodec(ServiceName(path), timeProvider),
        };
    }

    /// <summary>Returns the service name of a path: its last segment (<c>/services/hello</c> is <c>hello</c>).</summary>
    /// <param name="servicePath">The service path.</param>
    /// <returns>The last segment.</returns>
    public static string ServiceName(string servicePath)
    {
        var path = ServicePaths.Normalize(servicePath);
        return path[(path.LastIndexOf('/') + 1)..];
    }
}
