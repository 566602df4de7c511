using SdKit.Instances;

namespace SdKit.Hosting.ServiceDiscovery;

/// <summary>
/// The typed instance behind a resolved <c>ServiceEndpoint</c> of Microsoft.Extensions.ServiceDiscovery, in its
/// <c>Features</c>: metadata, weight, zone and id, decoded with the backend's instance format.
/// </summary>
/// <example><c>var instance = endpoint.Features.Get&lt;IServiceInstanceFeature&gt;()?.Instance;</c></example>
public interface IServiceInstanceFeature
{
    /// <summary>Gets the instance the endpoint was made from.</summary>
    ServiceInstance Instance { get; }
}
