using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SdKit.Client;
using SdKit.InMemory;
using SdKit.Instances;
using SdKit.Instances.Codecs;
using SdKit.Testing.Network;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Configuration;

namespace SdKit.Yarp.Tests.LoadBalancing;

/// <summary>
/// The <c>SdKitZoneAware</c> policy in a real YARP proxy in front of three real backends, whose SdKit JSON instances
/// (zone, weight) sit in an in-memory registry: the proxy is in z1 and every request is counted by the backend that
/// answered it.
/// </summary>
public sealed class ZoneAwarePolicyTests
{
    [Fact]
    public async Task LocalZoneHoldsItsShare_EveryRequestStaysLocal()
    {
        // z1 holds weight 2 of 4 (u = 1/2), callers assumed even over z1 and z2 (l = 1/2): all local.
        var (urls, counts) = await CountRequestsAsync([("z1", 2), ("z2", 1), ("z2", 1)], requests: 100);

        Assert.Equal([100, 0, 0], urls.Select(u => counts[u]));
    }

    [Fact]
    public async Task LocalZoneSmall_SpillsToTheZoneWithResidualCapacity()
    {
        // Weights 1 (z1), 1 (z2), 4 (z3), callers even over three zones: u = 1/6 < l = 1/3, so half stay in z1; z2 has
        // no capacity beyond its own callers' third, z3 has 1/3 to spare: the other half all go to z3.
        var (urls, counts) = await CountRequestsAsync([("z1", 1), ("z2", 1), ("z3", 4)], requests: 300);

        Assert.Equal(0, counts[urls[1]]);
        Assert.Equal(300, counts[urls[0]] + counts[urls[2]]);

        // Binomial(300, 1/2): 5 standard deviations is about 43.
        Assert.InRange(counts[urls[0]], 150 - 43, 150 + 43);
    }

    [Fact]
    public async Task NoLocalZoneConfigured_RequestsFailAndTheErrorSaysWhatToSet()
    {
        var error = await Record.ExceptionAsync(async () => await CountRequestsAsync([("z1", 1), ("z2", 1)], requests: 1, localZone: null));

        Assert.NotNull(error);
        var failure = Assert.IsType<InvalidOperationException>(error);
        Assert.Contains("ZoneAware.LocalZone", failure.Message, StringComparison.Ordinal);
    }

    private static async Task<(List<string> Urls, Dictionary<string, int> Counts)> CountRequestsAsync((string Zone, int Weight)[] instances, int requests, string? localZone = "z1")
    {
        var service = $"zoned-{Guid.NewGuid():N}";
        var owned = new List<WebApplication>();
        var registry = new InMemoryRegistry();
        var client = registry.CreateClient();
        try
        {
            var urls = new List<string>();
            for (var i = 0; i < instances.Length; i++)
            {
                var url = $"http://127.0.0.1:{FreePort.Next()}";
                var backend = WebApplication.CreateSlimBuilder();
                backend.WebHost.UseUrls(url);
                backend.Logging.SetMinimumLevel(LogLevel.Warning);
                var app = backend.Build();
                app.MapGet("/", () => url);
                owned.Add(app);
                await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
                urls.Add(url);
                var instance = new ServiceInstance($"i{i}", "127.0.0.1", new Uri(url).Port, weight: instances[i].Weight, zone: instances[i].Zone);
                await client.RegisterAsync(new ServiceEntry($"/services/{service}", SdKitJsonCodec.Instance.Encode(instance)));
            }

            var proxyUrl = $"http://127.0.0.1:{FreePort.Next()}";
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls(proxyUrl);
            builder.Logging.SetMinimumLevel(LogLevel.Critical);
            builder.Services.AddSdKit().AddInMemory(registry).UseInstanceFormat(_ => InstanceFormats.SdKitJson);
            builder.Services.AddReverseProxy()
                .LoadFromMemory(
                    [new RouteConfig { RouteId = "all", ClusterId = "web", Match = new RouteMatch { Path = "{**rest}" } }],
                    [new ClusterConfig
                    {
                        ClusterId = "web",
                        LoadBalancingPolicy = SdKitReverseProxyBuilderExtensions.ZoneAwareLoadBalancingPolicy,
                        Destinations = new Dictionary<string, DestinationConfig> { ["web"] = new() { Address = $"sdkit:///{service}" } },
                    }])
                .AddSdKitDestinations(o =>
                {
                    o.ZoneAware.LocalZone = localZone;
                    o.ZoneAware.MinClusterSize = 0;
                });

            // The policy's own failure, as the proxy meets it (YARP would answer a bare 5xx).
            Exception? policyError = null;
            var proxy = builder.Build();
            owned.Add(proxy);
            proxy.Use(async (HttpContext context, RequestDelegate next) =>
            {
                try
                {
                    await next(context);
                }
                catch (InvalidOperationException error)
                {
                    policyError = error;
                    throw;
                }
            });
            proxy.MapReverseProxy();
            await proxy.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await proxy.Services.GetRequiredKeyedService<IInstancer>(service).FirstAsync(e => e.Instances.Length == instances.Length).ToTask().WaitAsync(TimeSpan.FromSeconds(30));

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var counts = urls.ToDictionary(u => u, _ => 0);
            for (var i = 0; i < requests; i++)
            {
                using var response = await http.GetAsync(new Uri(proxyUrl + "/"));
                if (policyError is not null)
                {
                    throw policyError;
                }

                response.EnsureSuccessStatusCode();
                counts[(await response.Content.ReadAsStringAsync()).Trim('"')]++;
            }

            // Every instance was a destination while the requests were counted.
            Assert.Equal(instances.Length, proxy.Services.GetRequiredService<IProxyStateLookup>().GetClusters().Single().Destinations.Count);
            return (urls, counts);
        }
        finally
        {
            for (var i = owned.Count - 1; i >= 0; i--)
            {
                await owned[i].StopAsync();
                await owned[i].DisposeAsync();
            }

            await client.DisposeAsync();
        }
    }
}
