using System.Diagnostics.CodeAnalysis;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.ServiceDiscovery;
using SdKit.Client;
using SdKit.Hosting.Instances;
using SdKit.Hosting.Options;

namespace SdKit.Hosting.ServiceDiscovery;

/// <summary>
/// Creates an <see cref="SdKitServiceEndpointProvider"/> for every service name: <c>http://hello</c> resolves
/// to the instances of <c>{ServicesPath}/hello</c>.
/// </summary>
internal sealed class SdKitServiceEndpointProviderFactory(
    InstancerCache instancers,
    IDiscoveryClient client,
    EndpointQuarantine quarantine,
    IOptions<SdKitOptions> options,
    IServiceProvider services,
    ILogger<SdKitServiceEndpointProvider> logger) : IServiceEndpointProviderFactory
{
    /// <inheritdoc/>
    public bool TryCreateProvider(ServiceEndpointQuery query, [NotNullWhen(true)] out IServiceEndpointProvider? provider)
    {
        ArgumentNullException.ThrowIfNull(query);
        var name = query.ServiceName;

        // An address is not a service name: a request some handler already resolved must not start a watch of it.
        if (string.IsNullOrEmpty(name) || name.Contains('/', StringComparison.Ordinal) || IPAddress.TryParse(name, out _))
        {
            provider = null;
            return false;
        }

        var settings = options.Value;
        var path = ServiceNames.ToPath(settings.ServicesPath, name);
        IReadOnlyList<string> fallback = settings.FallbackInstances.TryGetValue(name, out var instances) ? [.. instances] : [];
        provider = new SdKitServiceEndpointProvider(
            new ServiceEndpointProviderSettings(query, path, instancers.Get(path), settings.FirstSnapshotTimeout, fallback, quarantine, () => client.State.ToString(), services.GetSdKitInstanceCodec(path)),
            logger);
        return true;
    }

}
