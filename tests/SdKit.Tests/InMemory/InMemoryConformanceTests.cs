using SdKit.Client;
using SdKit.InMemory;
using SdKit.Testing.Conformance;

namespace SdKit.Tests.InMemory;

/// <summary>The shared backend conformance suite, run against the in-memory backend.</summary>
public sealed class InMemoryConformanceTests : DiscoveryClientConformanceTests
{
    private readonly InMemoryRegistry _registry = new();

    protected override TimeSpan EventTimeout => TimeSpan.FromSeconds(10);

    protected override ValueTask<IDiscoveryClient> CreateClientAsync() => ValueTask.FromResult<IDiscoveryClient>(_registry.CreateClient());

    protected override ValueTask KillSessionAsync(IDiscoveryClient client)
    {
        // A real backend notices the expiry and opens a new session by itself; the in-memory one is told to.
        var inMemory = (InMemoryDiscoveryClient)client;
        inMemory.LoseSession();
        inMemory.Resume();
        return ValueTask.CompletedTask;
    }
}
