using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.ServiceDiscovery;
using SdKit.Hosting.Instances;
using SdKit.Hosting.Options;

namespace SdKit.Hosting.ServiceDiscovery;

/// <summary>
/// Creates an <see cref="SdKitServiceEndpointProvider"/> for every service name: <c>http://hello</c> resolves
/// to the instances of <c>{ServicesPath}/hello</c>.
/// </summary>
internal sealed class SdKitServiceEndpointProviderFactory(InstancerCache instancers, IOptions<SdKitOptions> options, ILogger<SdKitServiceEndpointProvider> logger) : IServiceEndpointProviderFactory
{
    /// <inheritdoc/>
    public bool TryCreateProvider(ServiceEndpointQuery query, [NotNullWhen(true)] out IServiceEndpointProvider? provider)
    {
        ArgumentNullException.ThrowIfNull(query);
        var name = query.ServiceName;
        if (string.IsNullOrEmpty(name) || name.Contains('/', StringComparison.Ordinal))
        {
            provider = null;
            return false;
        }

        var path = ServiceNames.ToPath(options.Value.ServicesPath, name);
        provider = new SdKitServiceEndpointProvider(query, path, instancers.Get(path), options.Value.FirstSnapshotTimeout, logger);
        return true;
    }
}
