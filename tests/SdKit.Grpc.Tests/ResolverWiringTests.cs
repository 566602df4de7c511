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

    [Theory]
    [InlineData(SdKitGrpcPolicies.LeastOutstanding)]
    [InlineData(SdKitGrpcPolicies.RoundRobin)]
    [InlineData(SdKitGrpcPolicies.WeightedRoundRobin)]
    public async Task AServiceWithNoInstance_FailsCallsWithUnavailableNamingTheService(string policy)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSdKit().AddInMemory(new InMemoryRegistry());
        builder.Services.AddSdKitGrpc(o => o.LoadBalancingPolicy = policy);
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
}
