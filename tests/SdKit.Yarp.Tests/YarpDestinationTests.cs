using System.Diagnostics;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using SdKit.Client;
using SdKit.Grpc.Tests;
using SdKit.Transports.TestBackend;
using Yarp.ReverseProxy;

namespace SdKit.Yarp.Tests;

/// <summary>
/// The issue's scenarios for YARP against the real things: three ASP.NET backends registered through the hosted
/// registrar in a real ZooKeeper or etcd, a YARP proxy whose cluster destination is <c>sdkit:///</c>, callers through it.
/// </summary>
public sealed class YarpDestinationTests
{
    /// <summary>The proxy's resolution and the test's watch hear of a change independently; this bounds the gap.</summary>
    private static readonly long s_notificationSkew = Stopwatch.Frequency / 4;

    [Theory]
    [InlineData("zookeeper")]
    [InlineData("etcd")]
    public async Task Requests_SpreadOverThree_OneStopsGracefully_NoneFailsAndNoneReachesItAfterItsDeregistration(string registry)
    {
        await using var scenario = await YarpScenario.StartAsync(registry);
        var backends = new List<WebApplication>();
        for (var i = 0; i < 3; i++)
        {
            backends.Add(await scenario.StartInProcessBackendAsync());
        }

        var urls = backends.Select(b => b.Services.GetRequiredService<BackendIdentity>().Url).ToList();
        await scenario.StartProxyAsync(instances: 3);
        scenario.StartCallers();
        await scenario.Calls.WaitForAnswersAsync(0, urls, 20);

        // The cluster's destinations carry the configured metadata and the instance.
        var cluster = scenario.Proxy.Services.GetRequiredService<IProxyStateLookup>().GetClusters().Single();
        Assert.Equal(3, cluster.Destinations.Count);
        Assert.All(cluster.Destinations.Values, d => Assert.Equal("tests", d.Model.Config.Metadata!["team"]));
        Assert.Equal(urls.Order(), cluster.Destinations.Values.Select(d => d.Model.Config.Metadata!["sdkit.instance"]).Order());

        var leaving = urls[0];
        var removed = scenario.WhenRemovedAsync(leaving);
        var stopping = backends[0].StopAsync();
        var removedAt = await removed;
        await stopping.WaitAsync(TimeSpan.FromSeconds(30));
        await scenario.Calls.WaitForAnswersAsync(Stopwatch.GetTimestamp(), urls[1..], 20);
        await scenario.StopCallersAsync();

        var calls = scenario.Calls.Snapshot();
        var failed = calls.Where(c => c.Error is not null).ToList();
        Assert.True(failed.Count == 0, $"{failed.Count} requests failed: {string.Join(" | ", failed.Select(f => f.Error).Distinct())}");
        var late = calls.Where(c => c.Backend == leaving && c.Started > removedAt + s_notificationSkew).ToList();
        Assert.True(late.Count == 0, $"{late.Count} requests started after the deregistration was seen went to {leaving}.");
        Assert.Equal(2, scenario.Proxy.Services.GetRequiredService<IProxyStateLookup>().GetClusters().Single().Destinations.Count);
    }

    [Theory]
    [InlineData("zookeeper")]
    [InlineData("etcd")]
    public async Task OneOfThreeKilled_RequestsMoveAwayOnceTheRegistryDropsIt_WithinTheTtlPlusOneSecond(string registry)
    {
        await using var scenario = await YarpScenario.StartAsync(registry);
        var doomed = scenario.StartProcessBackend(out var doomedUrl);
        scenario.StartProcessBackend(out var second);
        scenario.StartProcessBackend(out var third);
        await scenario.StartProxyAsync(instances: 3);
        scenario.StartCallers();
        await scenario.Calls.WaitForAnswersAsync(0, [doomedUrl, second, third], 20);

        var removed = scenario.WhenRemovedAsync(doomedUrl);
        var killedAt = Stopwatch.GetTimestamp();
        await doomed.KillAsync();
        var removedAt = await removed;
        await scenario.Calls.WaitForAnswersAsync(removedAt, [second, third], 20);
        await scenario.StopCallersAsync();

        var expiry = Stopwatch.GetElapsedTime(killedAt, removedAt);
        Assert.True(expiry <= TestRegistry.Ttl + TimeSpan.FromSeconds(1), $"The registry dropped the killed backend {expiry.TotalMilliseconds:0} ms after the kill (TTL {TestRegistry.Ttl}).");
        var calls = scenario.Calls.Snapshot();
        var failed = calls.Where(c => c.Error is not null).ToList();
        Assert.True(failed.Count == 0, $"{failed.Count} requests failed after their retries: {string.Join(" | ", failed.Select(f => f.Error).Distinct())}");
        Assert.All(calls.Where(c => c.Started > removedAt + s_notificationSkew), c => Assert.NotEqual(doomedUrl, c.Backend));
    }

    [Theory]
    [InlineData("zookeeper")]
    [InlineData("etcd")]
    public async Task RegistryKilled_RequestsKeepFlowingToTheLastKnownThree(string registry)
    {
        await using var scenario = await YarpScenario.StartAsync(registry);
        var urls = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var backend = await scenario.StartInProcessBackendAsync();
            urls.Add(backend.Services.GetRequiredService<BackendIdentity>().Url);
        }

        await scenario.StartProxyAsync(instances: 3);
        scenario.StartCallers();
        await scenario.Calls.WaitForAnswersAsync(0, urls, 10);

        var client = scenario.Proxy.Services.GetRequiredService<IDiscoveryClient>();
        var outage = client.StateChanges.FirstAsync(s => s is not (ConnectionState.Connected or ConnectionState.Reconnected))
            .Select(_ => true).Merge(scenario.ProxyInstancer.FirstAsync(e => e.Error is not null).Select(_ => true))
            .FirstAsync().ToTask().WaitAsync(TimeSpan.FromSeconds(60));
        await scenario.Registry.KillAsync();
        await outage;
        await scenario.Calls.WaitForAnswersAsync(Stopwatch.GetTimestamp(), urls, 30);
        await scenario.StopCallersAsync();

        var failed = scenario.Calls.Snapshot().Where(c => c.Error is not null).ToList();
        Assert.True(failed.Count == 0, $"{failed.Count} requests failed: {string.Join(" | ", failed.Select(f => f.Error).Distinct())}");
        Assert.Equal(3, scenario.Proxy.Services.GetRequiredService<IProxyStateLookup>().GetClusters().Single().Destinations.Count);
    }
}
