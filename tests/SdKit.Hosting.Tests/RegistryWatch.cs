using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using SdKit.InMemory;
using SdKit.Instances;

namespace SdKit.Hosting.Tests;

/// <summary>Watches a service of an in-memory registry from a client of its own, as another process would.</summary>
internal sealed class RegistryWatch : IAsyncDisposable
{
    private readonly InMemoryDiscoveryClient _client;

    public RegistryWatch(InMemoryRegistry registry, string servicePath)
    {
        _client = registry.CreateClient();
        Instancer = new Instancer(_client, servicePath);
    }

    public Instancer Instancer { get; }

    /// <summary>Waits for the first event that satisfies <paramref name="predicate"/> (the current one counts).</summary>
    public Task<InstanceEvent> WaitForAsync(Func<InstanceEvent, bool> predicate)
        => Instancer.Where(predicate).FirstAsync().ToTask().WaitAsync(TestTimeouts.Event);

    public async ValueTask DisposeAsync()
    {
        await Instancer.DisposeAsync();
        await _client.DisposeAsync();
    }
}
