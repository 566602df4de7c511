using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Balancer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SdKit.Grpc.Balancing;
using SdKit.Grpc.Resolution;
using SdKit.InMemory;
using SdKit.Instances;
using SdKit.Instances.Codecs;
using SdKit.LoadBalancing;
using SdKit.Testing.ZooKeeper;
using SdKit.Transports.TestBackend;

namespace SdKit.Grpc.Tests;

/// <summary>The wiring without DI, and what a call to a service with no instance is told.</summary>
public sealed class ResolverWiringTests(ZooKeeperServerFixture zooKeeper) : IClassFixture<ZooKeeperServerFixture>
{
    [Fact]
    public async Task GrpcChannelForAddress_WithFactoriesThroughServiceProvider_SpreadsCallsOverTheInstancersInstances()
    {
        var service = $"plain-{Guid.NewGuid():N}";
        var apps = new List<WebApplication>();
        try
        {
            var urls = await StartBackendsAsync(service, apps);

            // A framework author's setup: no host, an instancer of their own, the factories handed over directly.
            await using var instancer = new FixedInstancer(urls);
            using var provider = new ServiceCollection()
                .AddSingleton<ResolverFactory>(new SdKitResolverFactory(_ => instancer))
                .AddSingleton<LoadBalancerFactory>(new LeastOutstandingBalancerFactory())
                .BuildServiceProvider();
            using var channel = GrpcChannel.ForAddress($"sdkit:///{service}", new GrpcChannelOptions { Credentials = ChannelCredentials.Insecure, ServiceProvider = provider });
            var client = new Greeter.GreeterClient(channel);
            var seen = new HashSet<string>();
            for (var i = 0; i < 300 && seen.Count < 3; i++)
            {
                seen.Add((await client.SayHelloAsync(new HelloRequest(), deadline: DateTime.UtcNow.AddSeconds(10))).Backend);
            }

            Assert.Equal(urls.Order(), seen.Order());
        }
        finally
        {
            await StopAsync(apps);
        }
    }

    [Fact]
    public async Task WeightedRoundRobin_JsonInstancesWeightedThreeOneOne_SendsCallsInThatProportion()
    {
        var service = $"weighted-{Guid.NewGuid():N}";
        var apps = new List<WebApplication>();
        try
        {
            var urls = await StartBackendsAsync(service, apps);

            // The instances as SdKit's JSON with weights 3, 1, 1, decoded by the codec handed to the factory.
            var weights = new[] { 3, 1, 1 };
            var instances = urls.Select((url, i) => SdKitJsonCodec.Instance.Encode(new ServiceInstance($"i{i}", "127.0.0.1", new Uri(url).Port, weight: weights[i])));
            await using var instancer = new FixedInstancer(instances);
            var options = new SdKitGrpcOptions { LoadBalancingPolicy = SdKitGrpcPolicies.WeightedRoundRobin };
            using var provider = new ServiceCollection()
                .AddSingleton<ResolverFactory>(new SdKitResolverFactory(_ => instancer, options, SdKitJsonCodec.Instance))
                .AddSingleton<LoadBalancerFactory>(new SdKitWeightedRoundRobinBalancerFactory())
                .BuildServiceProvider();
            using var channel = GrpcChannel.ForAddress($"sdkit:///{service}", new GrpcChannelOptions { Credentials = ChannelCredentials.Insecure, ServiceProvider = provider });
            var client = new Greeter.GreeterClient(channel);
            var seen = new HashSet<string>();
            for (var i = 0; i < 300 && seen.Count < 3; i++)
            {
                seen.Add((await client.SayHelloAsync(new HelloRequest(), deadline: DateTime.UtcNow.AddSeconds(10))).Backend);
            }

            // With every subchannel ready, any 50 consecutive picks are ten whole cycles of a a b a c.
            var counts = urls.ToDictionary(u => u, _ => 0);
            for (var i = 0; i < 50; i++)
            {
                counts[(await client.SayHelloAsync(new HelloRequest(), deadline: DateTime.UtcNow.AddSeconds(10))).Backend]++;
            }

            Assert.Equal(3, seen.Count);
            Assert.Equal([30, 10, 10], urls.Select(u => counts[u]));
        }
        finally
        {
            await StopAsync(apps);
        }
    }

    [Fact]
    public async Task ZoneAware_LocalZoneHoldsItsShare_EveryCallStaysLocal()
    {
        // z1 holds weight 2 of 4 (u = 1/2) and the callers are assumed even over z1 and z2 (l = 1/2): all local.
        var (urls, counts) = await ZoneAwareCallsAsync([("z1", 2), ("z2", 1), ("z2", 1)], calls: 100);

        Assert.Equal([100, 0, 0], urls.Select(u => counts[u]));
    }

    [Fact]
    public async Task ZoneAware_LocalZoneSmall_SpillsToTheZoneWithResidualCapacity()
    {
        // Weights 1 (z1), 1 (z2), 4 (z3), callers even over three zones: u = 1/6 < l = 1/3, so half the calls stay in
        // z1; z2 (1/6) is below the 1/3 it serves itself, z3 (2/3) has 1/3 to spare: the other half all go to z3.
        var (urls, counts) = await ZoneAwareCallsAsync([("z1", 1), ("z2", 1), ("z3", 4)], calls: 300);

        Assert.Equal(0, counts[urls[1]]);
        Assert.Equal(300, counts[urls[0]] + counts[urls[2]]);

        // Binomial(300, 1/2): 5 standard deviations is about 43.
        Assert.InRange(counts[urls[0]], 150 - 43, 150 + 43);
    }

    [Theory]
    [InlineData(SdKitGrpcPolicies.LeastOutstanding)]
    [InlineData(SdKitGrpcPolicies.RoundRobin)]
    [InlineData(SdKitGrpcPolicies.WeightedRoundRobin)]
    [InlineData(SdKitGrpcPolicies.ZoneAware)]
    public async Task AServiceWithNoInstance_FailsCallsWithUnavailableNamingTheService(string policy)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSdKit().AddInMemory(new InMemoryRegistry());
        builder.Services.AddSdKitGrpc(o =>
        {
            o.LoadBalancingPolicy = policy;
            o.ZoneAware.LocalZone = "z1";
        });
        builder.Services.AddGrpcClient<Greeter.GreeterClient>(o => o.Address = new Uri("sdkit:///nobody-home"));
        using var host = builder.Build();
        await host.StartAsync();

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await host.Services.GetRequiredService<Greeter.GreeterClient>().SayHelloAsync(new HelloRequest(), deadline: DateTime.UtcNow.AddSeconds(10)));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains("'nobody-home' ('/services/nobody-home')", error.Status.Detail, StringComparison.Ordinal);
        await host.StopAsync();
    }

    [Fact]
    public void AnAddressWithAHost_IsRefusedWithTheFormToUse()
    {
        var error = Assert.Throws<ArgumentException>(() => SdKitResolverFactory.ServiceOf(new Uri("sdkit://greeter")));
        Assert.Contains("sdkit:///greeter", error.Message, StringComparison.Ordinal);
        Assert.Equal("greeter", SdKitResolverFactory.ServiceOf(new Uri("sdkit:///greeter")));
        Assert.Equal("/apps/greeter", SdKitResolverFactory.ServiceOf(new Uri("sdkit:///apps/greeter")));
    }

    [Fact]
    public async Task ZoneAware_RegisteredByAddSdKitGrpc_WithoutALocalZone_FailsCallsSayingWhatToSet()
    {
        var service = $"zoneless-{Guid.NewGuid():N}";
        var apps = new List<WebApplication>();
        try
        {
            var urls = await StartBackendsAsync(service, apps);

            // The factory AddSdKitGrpc registers, read from options that name no local zone.
            using var services = new ServiceCollection().AddLogging().AddSdKitGrpc(o => o.LoadBalancingPolicy = SdKitGrpcPolicies.ZoneAware).BuildServiceProvider();
            var registered = Assert.Single(services.GetServices<LoadBalancerFactory>(), f => f.Name == SdKitGrpcPolicies.ZoneAware);
            await using var instancer = new FixedInstancer(urls);
            using var provider = new ServiceCollection()
                .AddSingleton<ResolverFactory>(new SdKitResolverFactory(_ => instancer, new SdKitGrpcOptions { LoadBalancingPolicy = SdKitGrpcPolicies.ZoneAware }))
                .AddSingleton(registered)
                .BuildServiceProvider();
            using var channel = GrpcChannel.ForAddress($"sdkit:///{service}", new GrpcChannelOptions { Credentials = ChannelCredentials.Insecure, ServiceProvider = provider });

            var error = await Assert.ThrowsAsync<RpcException>(async () =>
                await new Greeter.GreeterClient(channel).SayHelloAsync(new HelloRequest(), deadline: DateTime.UtcNow.AddSeconds(10)));

            Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
            Assert.Contains("SdKit:Grpc:ZoneAware", error.Status.Detail, StringComparison.Ordinal);
            Assert.Contains("LocalZone", error.Status.Detail, StringComparison.Ordinal);
        }
        finally
        {
            await StopAsync(apps);
        }
    }

    /// <summary>
    /// Starts three backends registered as SdKit JSON with the given zones and weights, calls them through
    /// <c>sdkit_zone_aware</c> from zone z1 (no minimum cluster size) until all three are connected, then counts
    /// <paramref name="calls"/> calls per backend.
    /// </summary>
    private async Task<(List<string> Urls, Dictionary<string, int> Counts)> ZoneAwareCallsAsync((string Zone, int Weight)[] instances, int calls)
    {
        var service = $"zoned-{Guid.NewGuid():N}";
        var apps = new List<WebApplication>();
        try
        {
            var urls = await StartBackendsAsync(service, apps);
            var encoded = urls.Select((url, i) => SdKitJsonCodec.Instance.Encode(new ServiceInstance($"i{i}", "127.0.0.1", new Uri(url).Port, weight: instances[i].Weight, zone: instances[i].Zone)));
            await using var instancer = new FixedInstancer(encoded);
            var options = new SdKitGrpcOptions { LoadBalancingPolicy = SdKitGrpcPolicies.ZoneAware };
            var factory = new ReadyWatch(new SdKitZoneAwareBalancerFactory(new ZoneAwareOptions { LocalZone = "z1", MinClusterSize = 0 }), urls.Count);
            using var provider = new ServiceCollection()
                .AddSingleton<ResolverFactory>(new SdKitResolverFactory(_ => instancer, options, SdKitJsonCodec.Instance))
                .AddSingleton<LoadBalancerFactory>(factory)
                .BuildServiceProvider();
            using var channel = GrpcChannel.ForAddress($"sdkit:///{service}", new GrpcChannelOptions { Credentials = ChannelCredentials.Insecure, ServiceProvider = provider });
            var client = new Greeter.GreeterClient(channel);

            // The picker is cut over the ready subchannels: wait for the one over all three before counting.
            await channel.ConnectAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await factory.AllReady.Task.WaitAsync(TimeSpan.FromSeconds(30));
            var counts = urls.ToDictionary(u => u, _ => 0);
            for (var i = 0; i < calls; i++)
            {
                counts[(await client.SayHelloAsync(new HelloRequest(), deadline: DateTime.UtcNow.AddSeconds(10))).Backend]++;
            }

            return (urls, counts);
        }
        finally
        {
            await StopAsync(apps);
        }
    }

    /// <summary>Starts three greeter backends of <paramref name="service"/> (registered on the fixture's ZooKeeper) into <paramref name="apps"/>; returns their URLs.</summary>
    private async Task<List<string>> StartBackendsAsync(string service, List<WebApplication> apps)
    {
        var urls = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var url = $"http://127.0.0.1:{SdKit.Testing.Network.FreePort.Next()}";
            var app = TransportBackend.Build(["--urls", url, "--Service", service, "--Registry", "zookeeper", "--SdKit:ZooKeeper:ConnectString", zooKeeper.ConnectString]);
            await app.StartAsync();
            apps.Add(app);
            urls.Add(url);
        }

        return urls;
    }

    private static async Task StopAsync(List<WebApplication> apps)
    {
        foreach (var app in apps)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>The real policy, with its channel helper watched for the picker over every subchannel (to start counting from there).</summary>
    private sealed class ReadyWatch(LoadBalancerFactory policy, int subchannels) : LoadBalancerFactory
    {
        public TaskCompletionSource AllReady { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override string Name => policy.Name;

        public override LoadBalancer Create(LoadBalancerOptions options)
            => policy.Create(new LoadBalancerOptions(new Helper(options.Controller, this), options.LoggerFactory, options.Configuration));

        private sealed class Helper(IChannelControlHelper channel, ReadyWatch owner) : IChannelControlHelper
        {
            public Subchannel CreateSubchannel(SubchannelOptions options) => channel.CreateSubchannel(options);

            public void RefreshResolver() => channel.RefreshResolver();

            public void UpdateState(BalancerState state)
            {
                channel.UpdateState(state);
                if (state.ConnectivityState == ConnectivityState.Ready && state.Picker.ToString()!.Contains($"over {owner.Subchannels} subchannels", StringComparison.Ordinal))
                {
                    owner.AllReady.TrySetResult();
                }
            }
        }

        private int Subchannels => subchannels;
    }
}
