using Microsoft.Extensions.ServiceDiscovery;
using SdKit.Instances;
using SdKit.Instances.Codecs;

namespace SdKit.Hosting.ServiceDiscovery;

/// <summary>What one <see cref="SdKitServiceEndpointProvider"/> resolves from, gathered by the factory.</summary>
/// <param name="Query">The query Microsoft.Extensions.ServiceDiscovery asked.</param>
/// <param name="ServicePath">The path watched for it.</param>
/// <param name="Instancer">The application's instancer of that path.</param>
/// <param name="FirstSnapshotTimeout">The longest the first resolution waits for the registry.</param>
/// <param name="Fallback">The instances used while none is known and the registry has not answered; may be empty.</param>
/// <param name="Quarantine">The application's quarantined addresses.</param>
/// <param name="ClientState">Names the discovery client's connection state, for error messages.</param>
/// <param name="Codec">Decodes the instance strings in the backend's instance format.</param>
internal sealed record ServiceEndpointProviderSettings(
    ServiceEndpointQuery Query,
    string ServicePath,
    IInstancer Instancer,
    TimeSpan FirstSnapshotTimeout,
    IReadOnlyList<string> Fallback,
    EndpointQuarantine Quarantine,
    Func<string> ClientState,
    IInstanceCodec Codec);
