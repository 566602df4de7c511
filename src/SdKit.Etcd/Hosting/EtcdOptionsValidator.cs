using Microsoft.Extensions.Options;
using SdKit.Etcd;

namespace SdKit.Etcd.Hosting;

/// <summary>
/// Fails the host's start on etcd settings that can never work (no endpoint, a malformed URL, half of a credential
/// pair), naming the setting and its value, instead of a background connect loop retrying them forever.
/// </summary>
internal sealed class EtcdOptionsValidator : IValidateOptions<EtcdDiscoveryOptions>
{
    /// <summary>The configuration key the endpoints are read from.</summary>
    public const string EndpointsKey = EtcdConfiguration.SectionName + ":" + nameof(EtcdDiscoveryOptions.Endpoints);

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, EtcdDiscoveryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            options.Validate();
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException ex)
        {
            var message = ex.Message.Replace($" (Parameter '{ex.ParamName}')", string.Empty, StringComparison.Ordinal);
            // Each problem names its option, which is also its key under SdKit:Etcd; the endpoints are shown when they are the problem.
            return ValidateOptionsResult.Fail(message.Contains("Endpoint", StringComparison.Ordinal)
                ? $"{EndpointsKey} '{string.Join(',', options.Endpoints)}': {message}"
                : $"{EtcdConfiguration.SectionName}: {message}");
        }
    }
}
