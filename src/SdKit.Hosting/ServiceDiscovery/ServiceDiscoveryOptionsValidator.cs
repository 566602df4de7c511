using Microsoft.Extensions.Options;
using SdKit.Hosting.Options;

namespace SdKit.Hosting.ServiceDiscovery;

/// <summary>
/// Validates the HttpClient path's settings at host start: every <c>SdKit:FallbackInstances</c> entry must be a service
/// name with instances the provider can read, and <c>SdKit:Quarantine</c> must be in range. Messages name the key.
/// </summary>
internal sealed class ServiceDiscoveryOptionsValidator : IValidateOptions<SdKitOptions>, IValidateOptions<EndpointQuarantineOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, SdKitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var (service, instances) in options.FallbackInstances)
        {
            var key = $"{SdKitOptions.SectionName}:{nameof(SdKitOptions.FallbackInstances)}:{service}";
            if (string.IsNullOrWhiteSpace(service) || service.Contains('/', StringComparison.Ordinal))
            {
                failures.Add($"{key}: '{service}' must be a service name as in http://{{service}}, without '/'.");
                continue;
            }

            if (instances is null || instances.Count == 0)
            {
                failures.Add($"{key}: give at least one instance (a URI such as http://10.0.0.5:8080, or host:port), or remove the entry.");
                continue;
            }

            for (var i = 0; i < instances.Count; i++)
            {
                if (!InstanceEndPoints.TryParse(instances[i], out _))
                {
                    failures.Add($"{key}:{i} '{instances[i]}' is neither a URI with a host nor host:port.");
                }
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, EndpointQuarantineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Duration < TimeSpan.Zero || options.Duration > TimeSpan.FromHours(1))
        {
            failures.Add($"{EndpointQuarantineOptions.SectionName}:{nameof(EndpointQuarantineOptions.Duration)} ({options.Duration}) must be between 00:00:00 (off) and 01:00:00.");
        }

        if (options.ConnectRetries is < 0 or > 100)
        {
            failures.Add($"{EndpointQuarantineOptions.SectionName}:{nameof(EndpointQuarantineOptions.ConnectRetries)} ({options.ConnectRetries}) must be between 0 and 100.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
