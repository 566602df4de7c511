using Microsoft.Extensions.DependencyInjection;

namespace SdKit.Hosting;

/// <summary>
/// Returned by <c>services.AddSdKit(...)</c>: choose a backend (<c>AddInMemory</c>, <c>AddZooKeeper</c>,
/// <c>AddEtcd</c>), a registration and endpointers on it.
/// </summary>
public interface ISdKitBuilder
{
    /// <summary>Gets the service collection SdKit is added to.</summary>
    IServiceCollection Services { get; }
}
