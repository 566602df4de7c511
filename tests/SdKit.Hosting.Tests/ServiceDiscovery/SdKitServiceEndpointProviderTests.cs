using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.ServiceDiscovery;
using SdKit.Client;
using SdKit.Hosting.ServiceDiscovery;
using SdKit.InMemory;
using SdKit.Instances;
using SdKit.Instances.Codecs;
using SdKit.Testing.Clients;
using Xunit;

namespace SdKit.Hosting.Tests.ServiceDiscovery;

public sealed class SdKitServiceEndpointProviderTests
{
    private static readonly TimeSpan s_tenMinutes = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task HttpClient_ServiceName_ReachesEveryLiveInstanceAndFollowsChangesWithoutPolling()
    {
        var registry = new InMemoryRegistry();
        var first = await HelloServer.StartAsync(registry, "hello");
        await using var second = await HelloServer.StartAsync(registry, "hello");
        using var client = await StartClientAsync(registry);
        var http = client.Services.GetRequiredService<IHttpClientFactory>().CreateClient("hello");

        var (firstAddress, secondAddress) = (AuthorityOf(first), AuthorityOf(second));
        var answers = await HttpAnswers.CollectUntilAsync(http, seen => seen.Count == 2);
        Assert.Equal(new HashSet<string>([firstAddress, secondAddress]), answers);

        // The refresh period is an hour: only the change token can make the client stop choosing it.
        await first.DisposeAsync();
        await HttpAnswers.CollectUntilAsync(http, seen => seen.Count == 1 && seen.Contains(secondAddress), fresh: true, consecutive: 10);

        await using var third = await HelloServer.StartAsync(registry, "hello");
        var later = await HttpAnswers.CollectUntilAsync(http, seen => seen.Contains(AuthorityOf(third)));
        Assert.DoesNotContain(firstAddress, later);
        await client.StopAsync();
    }

    [Fact]
    public async Task GetEndpointsAsync_MixedInstances_ResolvesUrisAndHostPortsAndSkipsTheRest()
    {
        var registry = new InMemoryRegistry();
        await using var other = registry.CreateClient();
        foreach (var instance in new[] { "http://127.0.0.1:8001", "127.0.0.1:8002", "localhost:8003", "not an address" })
        {
            await other.RegisterAsync(new SdKit.Client.ServiceEntry("/services/mixed", instance));
        }

        using var client = await StartClientAsync(registry);
        var resolver = client.Services.GetRequiredService<ServiceEndpointResolver>();

        var source = await resolver.GetEndpointsAsync("http://mixed", CancellationToken.None).AsTask().WaitAsync(TestTimeouts.Event);

        Assert.Equal(
            ["127.0.0.1:8002", "Unspecified/localhost:8003", "http://127.0.0.1:8001/"],
            source.Endpoints.Select(e => e.EndPoint.ToString()!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task GetEndpointsAsync_BackendInJsonFormat_DecodesInstancesCarriesThemAsAFeatureAndLeavesOutDisabledAndUndecodable()
    {
        var registry = new InMemoryRegistry();
        await using var other = registry.CreateClient();
        var codec = SdKitJsonCodec.Instance;
        var typed = new ServiceInstance("a", "127.0.0.1", 8001, metadata: [new("version", "2")], weight: 3, zone: "zone-a");
        var secure = new ServiceInstance("b", "localhost", 8443, scheme: "https");
        var disabled = new ServiceInstance("c", "127.0.0.1", 8003, enabled: false);
        foreach (var value in new[] { codec.Encode(typed), codec.Encode(secure), codec.Encode(disabled), "{\"host\":", "127.0.0.1:8004" })
        {
            await other.RegisterAsync(new ServiceEntry("/services/typed", value));
        }

        using var client = await StartClientAsync(sdkit => sdkit.AddInMemory(registry).UseInstanceFormat(_ => InstanceFormats.SdKitJson), SdKitConstants.DefaultFirstSnapshotTimeout);
        var resolver = client.Services.GetRequiredService<ServiceEndpointResolver>();

        var source = await resolver.GetEndpointsAsync("https+http://typed", CancellationToken.None).AsTask().WaitAsync(TestTimeouts.Event);

        var endpoints = source.Endpoints.OrderBy(e => e.EndPoint.ToString(), StringComparer.Ordinal).ToList();
        Assert.Equal(["127.0.0.1:8001", "https://localhost:8443/"], endpoints.Select(e => e.EndPoint.ToString()!));
        var first = endpoints[0].Features.Get<IServiceInstanceFeature>()!.Instance;
        Assert.Equal(typed, first);
        Assert.Equal("2", first.Metadata["version"]);
        Assert.Equal(3, first.Weight);
        Assert.Equal("zone-a", first.Zone);
        Assert.Equal("b", endpoints[1].Features.Get<IServiceInstanceFeature>()!.Instance.Id);
    }

    [Fact]
    public async Task GetEndpointsAsync_PlainInstances_CarryTheirTypedViewAsAFeature()
    {
        var registry = new InMemoryRegistry();
        await using var other = registry.CreateClient();
        await other.RegisterAsync(new ServiceEntry("/services/plainly", "http://127.0.0.1:8001"));
        using var client = await StartClientAsync(registry);
        var resolver = client.Services.GetRequiredService<ServiceEndpointResolver>();

        var source = await resolver.GetEndpointsAsync("http://plainly", CancellationToken.None).AsTask().WaitAsync(TestTimeouts.Event);

        var instance = Assert.Single(source.Endpoints).Features.Get<IServiceInstanceFeature>()!.Instance;
        Assert.Equal(("127.0.0.1", 8001, "http"), (instance.Host, instance.Port, instance.Scheme));
        Assert.Equal("http://127.0.0.1:8001", instance.Raw);
    }

    [Fact]
    public async Task GetEndpointsAsync_ServiceWithNoInstances_ResolvesEmptyWithoutWaitingForTheTimeout()
    {
        var registry = new InMemoryRegistry();
        using var client = await StartClientAsync(sdkit => sdkit.AddInMemory(registry), s_tenMinutes);
        var resolver = client.Services.GetRequiredService<ServiceEndpointResolver>();

        // The first-snapshot timeout is ten minutes: only the instancer's first answer ends the wait this early.
        var source = await resolver.GetEndpointsAsync("http://nobody", CancellationToken.None).AsTask().WaitAsync(TestTimeouts.Event);

        Assert.Empty(source.Endpoints);
    }

    [Fact]
    public async Task GetEndpointsAsync_FirstWatchFails_ThrowsRegistryUnavailableWithoutWaitingForTheTimeout()
    {
        var registry = new InMemoryRegistry();
        await using var other = registry.CreateClient();
        await other.RegisterAsync(new ServiceEntry("/services/down", "127.0.0.1:8001"));
        using var client = await StartClientAsync(sdkit => sdkit.AddInMemory(registry), s_tenMinutes);
        var resolver = client.Services.GetRequiredService<ServiceEndpointResolver>();
        ((InMemoryDiscoveryClient)client.Services.GetRequiredService<IDiscoveryClient>()).Suspend();

        // The error is the first answer: nothing good is known yet, so there is nothing stale to offer either, and
        // the caller is told so rather than handed an empty set.
        var error = await Assert.ThrowsAsync<RegistryUnavailableException>(() => resolver.GetEndpointsAsync("http://down", CancellationToken.None).AsTask().WaitAsync(TestTimeouts.Event));

        Assert.Equal("/services/down", error.ServicePath);
        Assert.IsType<InMemoryConnectionException>(error.InnerException);
        Assert.Contains("the registry cannot be read", error.Message, StringComparison.Ordinal);
        Assert.IsType<InMemoryConnectionException>(client.Services.GetRequiredKeyedService<IInstancer>("down").Current.Error);
    }

    [Fact]
    public async Task GetEndpointsAsync_RegistrySlowToAnswer_WaitsForTheFirstSnapshot()
    {
        var registry = new InMemoryRegistry();
        await using var other = registry.CreateClient();
        await other.RegisterAsync(new ServiceEntry("/services/slow", "127.0.0.1:8001"));
        var held = new HeldWatchClient(registry.CreateClient());
        using var client = await StartClientAsync(sdkit => sdkit.AddDiscoveryClient(_ => held), s_tenMinutes);
        var resolver = client.Services.GetRequiredService<ServiceEndpointResolver>();

        var resolving = resolver.GetEndpointsAsync("http://slow", CancellationToken.None).AsTask();
        var resolvedBeforeAnswer = resolving.IsCompleted;
        held.Release();
        var source = await resolving.WaitAsync(TestTimeouts.Event);

        Assert.False(resolvedBeforeAnswer);
        Assert.Equal(["127.0.0.1:8001"], source.Endpoints.Select(e => e.EndPoint.ToString()!));
    }

    private static string AuthorityOf(HelloServer server) => new Uri(server.Address).Authority;

    private static Task<IHost> StartClientAsync(InMemoryRegistry registry)
        => StartClientAsync(sdkit => sdkit.AddInMemory(registry), SdKitConstants.DefaultFirstSnapshotTimeout);

    private static Task<IHost> StartClientAsync(Func<ISdKitBuilder, ISdKitBuilder> backend, TimeSpan firstSnapshotTimeout)
        => ClientHost.StartAsync(backend, "hello", firstSnapshotTimeout);
}
