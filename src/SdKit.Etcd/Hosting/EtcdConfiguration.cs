using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

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

    private static readonly Dictionary<string, Action<IConfigurationSection, EtcdDiscoveryOptions, List<string>>> Keys =
        new(StringComparer.OrdinalIgnoreCase)
        {
            [nameof(EtcdDiscoveryOptions.Endpoints)] = ReadEndpoints,
            [nameof(EtcdDiscoveryOptions.LeaseTtl)] = (s, o, p) => ReadTime(s, p, v => o.LeaseTtl = v),
            [nameof(EtcdDiscoveryOptions.KeepAliveInterval)] = (s, o, p) => ReadTime(s, p, v => o.KeepAliveInterval = v),
            [nameof(EtcdDiscoveryOptions.RequestTimeout)] = (s, o, p) => ReadTime(s, p, v => o.RequestTimeout = v),
            [nameof(EtcdDiscoveryOptions.MaxRetryDelay)] = (s, o, p) => ReadTime(s, p, v => o.MaxRetryDelay = v),
            [nameof(EtcdDiscoveryOptions.WatchResumeAttempts)] = ReadWatchResumeAttempts,
            [nameof(EtcdDiscoveryOptions.Username)] = (s, o, _) => o.Username = Text(s),
            [nameof(EtcdDiscoveryOptions.Password)] = (s, o, _) => o.Password = Text(s),
            [nameof(EtcdDiscoveryOptions.TrustedCaFile)] = (s, o, _) => o.TrustedCaFile = Text(s),
            [nameof(EtcdDiscoveryOptions.ClientCertificateFile)] = (s, o, _) => o.ClientCertificateFile = Text(s),
            [nameof(EtcdDiscoveryOptions.ClientKeyFile)] = (s, o, _) => o.ClientKeyFile = Text(s),
            [nameof(EtcdDiscoveryOptions.InstanceFormat)] = ReadFormat,
        };

    /// <summary>Applies <paramref name="section"/> to <paramref name="options"/>.</summary>
    /// <exception cref="OptionsValidationException">A key is unknown or a value does not convert; the message names every one.</exception>
    public static void Apply(IConfigurationSection section, EtcdDiscoveryOptions options)
    {
        var problems = new List<string>();
        foreach (var child in section.GetChildren())
        {
            if (Keys.TryGetValue(child.Key, out var apply))
            {
                apply(child, options, problems);
            }
            else
            {
                problems.Add($"{child.Path} is not an etcd setting (known: {string.Join(", ", Keys.Keys)}).");
            }
        }

        if (problems.Count > 0)
        {
            throw new OptionsValidationException(Microsoft.Extensions.Options.Options.DefaultName, typeof(EtcdDiscoveryOptions), problems);
        }
    }

    /// <summary>Endpoints as one comma-separated value (<c>SdKit:Etcd:Endpoints</c>) or as a list (<c>SdKit:Etcd:Endpoints:0</c>, ...).</summary>
    private static void ReadEndpoints(IConfigurationSection section, EtcdDiscoveryOptions options, List<string> problems)
    {
        var values = section.Value is { } joined ? [joined] : section.GetChildren().Select(child => child.Value ?? string.Empty);
        foreach (var endpoint in values.SelectMany(value => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            options.Endpoints.Add(endpoint);
        }
    }

    private static void ReadFormat(IConfigurationSection section, EtcdDiscoveryOptions options, List<string> problems)
    {
        if (SdKit.Instances.Codecs.InstanceFormats.IsKnown(section.Value))
        {
            options.InstanceFormat = section.Value!.ToLowerInvariant();
            return;
        }

        problems.Add($"{section.Path} '{section.Value}' is not an instance format (known: {string.Join(", ", SdKit.Instances.Codecs.InstanceFormats.Names)}).");
    }

    private static void ReadTime(IConfigurationSection section, List<string> problems, Action<TimeSpan> set)
    {
        if (TimeSpan.TryParse(section.Value, CultureInfo.InvariantCulture, out var value))
        {
            set(value);
            return;
        }

        problems.Add($"{section.Path} '{section.Value}' is not a time span such as 00:00:10.");
    }

    private static void ReadWatchResumeAttempts(IConfigurationSection section, EtcdDiscoveryOptions options, List<string> problems)
    {
        if (int.TryParse(section.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            options.WatchResumeAttempts = value;
            return;
        }

        problems.Add($"{section.Path} '{section.Value}' is not a whole number.");
    }

    /// <summary>An empty value is no value: an environment variable set to nothing turns a setting off.</summary>
    private static string? Text(IConfigurationSection section) => string.IsNullOrEmpty(section.Value) ? null : section.Value;
}
