using System.Diagnostics;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using SdKit.Client;
using SdKit.Transports.TestBackend;

namespace SdKit.Grpc.Tests;

/// <summary>
/// The issue's scenarios against the real things: three Grpc.AspNetCore backends registered through the hosted
/// registrar in a real ZooKeeper or etcd, a client channel on <c>sdkit:///</c> with SdKit's least-outstanding policy and
/// a retry policy for <c>Unavailable</c>, three callers running throughout.
/// </summary>
public sealed class GrpcDiscoveryTests
{
    /// <summary>
    /// The resolver and the instancer's other subscribers (the test's watch) are told of a change independently; a call
    /// picked a moment before the resolver's update may still reach the old instance. This bounds that moment.
    /// </summary>
    private static readonly TimeSpan s_notificationSkew = TimeSpan.FromMilliseconds(250);

    [Theory]
    [InlineData("zookeeper")]
    [InlineData("etcd")]
    public async Task Calls_SpreadOverThree_OneStopsGracefully_NoCallFailsAndNoneReachesItAfterItsDeregistration(string registry)
    {
        await using var scenario = await GrpcScenario.StartAsync(registry);
        var backends = new List<WebApplication>();
        for (var i = 0; i < 3; i++)
        {
            backends.Add(await scenario.StartInProcessBackendAsync());
        }

        var urls = backends.Select(b => b.Services.GetRequiredService<BackendIdentity>().Url).ToList();
        await scenario.StartClientAsync(instances: 3);
        scenario.StartCallers();
        await scenario.Calls.WaitForAnswersAsync(0, urls, 20);

        var leaving = urls[0];
        var removed = scenario.WhenRemovedAsync(leaving);
        var stopping = backends[0].StopAsync();
        var removedAt = await removed;
        await stopping.WaitAsync(TimeSpan.FromSeconds(30));
        await scenario.Calls.WaitForAnswersAsync(Stopwatch.GetTimestamp(), urls[1..], 20);
        await scenario.StopCallersAsync();

        var calls = scenario.Calls.Snapshot();
        var failed = calls.Where(c => c.Error is not null).ToList();
        Assert.True(failed.Count == 0, $"{failed.Count} calls failed: {string.Join(" | ", failed.Select(f => f.Error).Distinct())}");
        var late = calls.Where(c => c.Backend == leaving && c.Started > removedAt + (long)(s_notificationSkew.TotalSeconds * Stopwatch.Frequency)).ToList();
        Assert.True(late.Count == 0, $"{late.Count} calls started after the deregistration was seen went to {leaving}.");
        Assert.All(urls, url => Assert.Contains(calls, c => c.Backend == url));
    }

    [Theory]
    [InlineData("zookeeper")]
    [InlineData("etcd")]
    public async Task OneOfThreeKilled_CallsMoveAwayAndTheRegistryDropsItWithinTheTtlPlusOneSecond_RetriesAbsorbTheRest(string registry)
    {
        await using var scenario = await GrpcScenario.StartAsync(registry);
        var doomed = scenario.StartProcessBackend(out var doomedUrl);
        scenario.StartProcessBackend(out var second);
        scenario.StartProcessBackend(out var third);
        await scenario.StartClientAsync(instances: 3);
        scenario.StartCallers();
        await scenario.Calls.WaitForAnswersAsync(0, [doomedUrl, second, third], 20);

        var removed = scenario.WhenRemovedAsync(doomedUrl);
        var killedAt = Stopwatch.GetTimestamp();
        await doomed.KillAsync();
        var removedAt = await removed;
        await scenario.Calls.WaitForAnswersAsync(removedAt, [second, third], 20);
        await scenario.StopCallersAsync();

        var calls = scenario.Calls.Snapshot();
        var failed = calls.Where(c => c.Error is not null).ToList();
        Assert.True(failed.Count == 0, $"{failed.Count} calls failed: {string.Join(" | ", failed.Select(f => f.Error).Distinct())}");
        var expiry = Stopwatch.GetElapsedTime(killedAt, removedAt);
        Assert.True(expiry <= TestRegistry.Ttl + TimeSpan.FromSeconds(1), $"The registry dropped the killed backend {expiry.TotalMilliseconds:0} ms after the kill (TTL {TestRegistry.Ttl}).");

        // Between the kill and the expiry the registry still lists it, yet calls went on: to the two others.
        var inBetween = calls.Where(c => c.Started > killedAt && c.Ended < removedAt).ToList();
        Assert.True(inBetween.Count > 0, "No call was answered between the kill and the expiry.");
        Assert.All(inBetween, c => Assert.NotEqual(doomedUrl, c.Backend));
    }

    [Theory]
    [InlineData("zookeeper")]
    [InlineData("etcd")]
    public async Task RegistryKilled_CallsKeepFlowingToTheLastKnownThree(string registry)
    {
        await using var scenario = await GrpcScenario.StartAsync(registry);
        var urls = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var backend = await scenario.StartInProcessBackendAsync();
            urls.Add(backend.Services.GetRequiredService<BackendIdentity>().Url);
        }

        await scenario.StartClientAsync(instances: 3);
        scenario.StartCallers();
        await scenario.Calls.WaitForAnswersAsync(0, urls, 10);

        // ZooKeeper's client says Suspended at once and keeps the watch; etcd's reports the broken watch as an error
        // event that still carries the three. Either way the client knows the registry is gone before calls go on.
        var client = scenario.Client.Services.GetRequiredService<IDiscoveryClient>();
        var outage = client.StateChanges.FirstAsync(s => s is not (ConnectionState.Connected or ConnectionState.Reconnected))
            .Select(_ => true).Merge(scenario.ClientInstancer.FirstAsync(e => e.Error is not null).Select(_ => true))
            .FirstAsync().ToTask().WaitAsync(TimeSpan.FromSeconds(60));
        await scenario.Registry.KillAsync();
        await outage;
        var since = Stopwatch.GetTimestamp();
        await scenario.Calls.WaitForAnswersAsync(since, urls, 30);
        await scenario.StopCallersAsync();

        Assert.Equal(3, scenario.ClientInstancer.Current.Instances.Length);
        var failed = scenario.Calls.Snapshot().Where(c => c.Error is not null).ToList();
        Assert.True(failed.Count == 0, $"{failed.Count} calls failed: {string.Join(" | ", failed.Select(f => f.Error).Distinct())}");
    }
}
