using System.Collections.Concurrent;
using SdKit.Client;
using SdKit.Testing.Conformance;
using SdKit.Testing.Network;
using SdKit.Testing.ZooKeeper;
using SdKit.ZooKeeper.Discovery;
using SdKit.ZooKeeper.Tests.Discovery.Support;

namespace SdKit.ZooKeeper.Tests.Discovery;

/// <summary>The core's backend conformance suite, run against a real standalone ZooKeeper server.</summary>
/// <remarks>Every client talks through its own <see cref="LoopbackProxy"/>, so a test can kill its session: the proxy
/// goes silent until the server has expired the session, as a partitioned client would see it.</remarks>
[Collection(StandaloneCollection.Name)]
public sealed class ZooKeeperConformanceTests(ZooKeeperServerFixture fixture) : DiscoveryClientConformanceTests
{
    private readonly ConcurrentDictionary<IDiscoveryClient, LoopbackProxy> _proxies = new();

    protected override TimeSpan EventTimeout => TimeSpan.FromSeconds(20);

    protected override async ValueTask<IDiscoveryClient> CreateClientAsync()
    {
        var proxy = LoopbackProxy.Start(fixture.Server.Port);
        var client = await DiscoveryClients.ConnectAsync(proxy.Endpoint, sessionTimeout: TimeSpan.FromSeconds(1));
        _proxies[client] = proxy;
        return client;
    }

    protected override async ValueTask KillSessionAsync(IDiscoveryClient client)
    {
        var victim = (ZooKeeperDiscoveryClient)client;
        var canary = $"/canary-{Guid.NewGuid():N}";
        await victim.ZooKeeper.CreateAsync(canary, ReadOnlyMemory<byte>.Empty, CreateMode.Ephemeral);
        await using var observer = await TestClients.ConnectAsync(fixture.ConnectString);
        var gone = (await observer.ExistsAndWatchAsync(canary)).Changed;
        var proxy = _proxies[client];

        proxy.Stall();
        proxy.CutAll();
        Assert.Equal(WatchedEventType.NodeDeleted, (await gone.WaitAsync(EventTimeout)).Type);
        proxy.Resume();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var proxy in _proxies.Values)
        {
            await proxy.DisposeAsync();
        }
    }
}
