using SdKit.Instances;

namespace SdKit.Hosting.ServiceDiscovery;

/// <summary>The feature the provider attaches to each endpoint it resolves from a decoded instance.</summary>
internal sealed class ServiceInstanceFeature(ServiceInstance instance) : IServiceInstanceFeature
{
    /// <inheritdoc/>
    public ServiceInstance Instance { get; } = instance;
}
