using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.ServiceDiscovery;
using SdKit.InMemory;
using Xunit;

namespace SdKit.Hosting.Tests.ServiceDiscovery;

public sealed class SdKitServiceEndpointProviderTests
{
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

    private static string AuthorityOf(HelloServer server) => new Uri(server.Address).Authority;

    private static async Task<IHost> StartClientAsync(InMemoryRegistry registry)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSdKit().AddInMemory(registry);
        builder.Services.Configure<ServiceDiscoveryOptions>(options => options.RefreshPeriod = TimeSpan.FromHours(1));
        builder.Services.AddHttpClient("hello", http => http.BaseAddress = new Uri("http://hello")).AddServiceDiscovery();
        var host = builder.Build();
        await host.StartAsync().WaitAsync(TestTimeouts.Start);
        return host;
    }
}
