using SdKit.Client;
using SdKit.Soak.Network;

namespace SdKit.Soak.Topology;

/// <summary>One discovery client of the harness; a proxied one reaches every member through its own proxies.</summary>
internal sealed class SoakClient(int index, IDiscoveryClient client, IReadOnlyList<LoopbackProxy> proxies) : IAsyncDisposable
{
    public int Index => index;

    public IDiscoveryClient Client => client;

    public IReadOnlyList<LoopbackProxy> Proxies => proxies;

    public bool IsProxied => proxies.Count > 0;

    public string Name => IsProxied ? $"client{index} (proxied)" : $"client{index}";

    public async ValueTask DisposeAsync()
    {
        await client.DisposeAsync().ConfigureAwait(false);
        foreach (var proxy in proxies)
        {
            await proxy.DisposeAsync().ConfigureAwait(false);
        }
    }
}
