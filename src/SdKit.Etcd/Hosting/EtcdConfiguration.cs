using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using SdKit.Configuration;
using static SdKit.Configuration.StrictSectionReader<SdKit.Etcd.EtcdDiscoveryOptions>;

namespace SdKit.Etcd.Hosting;

/// <summary>
/// Reads the section <c>SdKit:Etcd</c> onto <see cref="EtcdDiscoveryOptions"/>: endpoints (comma-separated, or a
/// list), lease TTL and keep-alive interval, request timeout, retry delay, watch resume attempts, credentials, TLS files and
/// the instance format. Every key is known by name: a misspelt key or a value that does not convert fails the host's start, naming
/// the key and its value, so a setting is never silently ignored.
/// </summary>
internal static class EtcdConfiguration
{
    /// <summary>The configuration section the options are read from.</summary>
    public const string SectionName = "SdKit:Etcd";

    private static readonly StrictSectionReader<EtcdDiscoveryOptions> Reader = new("an etcd", new Dictionary<string, Action<IConfigurationSection, EtcdDiscoveryOptions, List<string>>>
        {
            [nameof(EtcdDiscoveryOptions.Endpoints)] = ReadEndpoints,
            [nameof(EtcdDiscoveryOptions.LeaseTtl)] = (s, o, p) => Read<TimeSpan>(s, p, v => o.LeaseTtl = v),
            [nameof(EtcdDiscoveryOptions.KeepAliveInterval)] = (s, o, p) => Read<TimeSpan>(s, p, v => o.KeepAliveInterval = v),
            [nameof(EtcdDiscoveryOptions.RequestTimeout)] = (s, o, p) => Read<TimeSpan>(s, p, v => o.RequestTimeout = v),
            [nameof(EtcdDiscoveryOptions.MaxRetryDelay)] = (s, o, p) => Read<TimeSpan>(s, p, v => o.MaxRetryDelay = v),
            [nameof(EtcdDiscoveryOptions.WatchResumeAttempts)] = (s, o, p) => Read<int>(s, p, v => o.WatchResumeAttempts = v),
            [nameof(EtcdDiscoveryOptions.Username)] = (s, o, _) => o.Username = Text(s),
            [nameof(EtcdDiscoveryOptions.Password)] = (s, o, _) => o.Password = Text(s),
            [nameof(EtcdDiscoveryOptions.TrustedCaFile)] = (s, o, _) => o.TrustedCaFile = Text(s),
            [nameof(EtcdDiscoveryOptions.ClientCertificateFile)] = (s, o, _) => o.ClientCertificateFile = Text(s),
            [nameof(EtcdDiscoveryOptions.ClientKeyFile)] = (s, o, _) => o.ClientKeyFile = Text(s),
            [nameof(EtcdDiscoveryOptions.InstanceFormat)] = (s, o, p) => ReadInstanceFormat(s, p, v => o.InstanceFormat = v),
        });

    /// <summary>Applies <paramref name="section"/> to <paramref name="options"/>.</summary>
    /// <exception cref="OptionsValidationException">A key is unknown or a value does not convert; the message names every one.</exception>
    public static void Apply(IConfigurationSection section, EtcdDiscoveryOptions options) => Reader.Apply(section, options);

    /// <summary>Endpoints as one comma-separated value (<c>SdKit:Etcd:Endpoints</c>) or as a list (<c>SdKit:Etcd:Endpoints:0</c>, ...).</summary>
    private static void ReadEndpoints(IConfigurationSection section, EtcdDiscoveryOptions options, List<string> problems)
    {
        var values = section.Value is { } joined ? [joined] : section.GetChildren().Select(child => child.Value ?? string.Empty);
        foreach (var endpoint in values.SelectMany(value => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            options.Endpoints.Add(endpoint);
        }
    }
}
