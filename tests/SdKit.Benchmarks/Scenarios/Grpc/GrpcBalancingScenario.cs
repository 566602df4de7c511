using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SdKit.Instances;
using SdKit.Testing.Network;
using SdKit.Testing.ZooKeeper;
using SdKit.Transports.TestBackend;

namespace SdKit.Benchmarks.Scenarios.Grpc;

/// <summary>
/// Unary gRPC calls per second and latency percentiles on the same three Grpc.AspNetCore backends (registered in a real
/// ZooKeeper), through two channels in alternating rounds: <c>sdkit:///</c> with SdKit's resolver and least-outstanding
/// policy, and <c>static:///</c> with Grpc.Net.Client's static resolver and <c>round_robin</c>. The difference is what
/// discovery and SdKit's picker cost a call.
/// </summary>
public sealed class GrpcBalancingScenario : IScenario
{
    /// <inheritdoc/>
    public string Name => "grpc-balancing";

    /// <inheritdoc/>
    public string Usage => "[--seconds 5] [--rounds 3] [--concurrency 16] [--policy sdkit_least_outstanding|sdkit_round_robin]";

    /// <inheritdoc/>
    public async Task<int> RunAsync(ScenarioArguments arguments, CancellationToken cancellationToken)
    {
        var seconds = arguments.Int("seconds", 5);
        var rounds = arguments.Int("rounds", 3);
        var concurrency = arguments.Int("concurrency", 16);
        var policy = arguments.String("policy", SdKit.Grpc.SdKitGrpcPolicies.LeastOutstanding);
        await using var zooKeeper = await ZooKeeperServer.StartStandaloneAsync().ConfigureAwait(false);
        var service = $"bench-{Guid.NewGuid():N}";
        var backends = new List<WebApplication>();
        var urls = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var url = $"http://127.0.0.1:{FreePort.Next()}";
            var app = TransportBackend.Build(["--urls", url, "--Service", service, "--Registry", "zookeeper", "--SdKit:ZooKeeper:ConnectString", zooKeeper.ConnectString]);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            backends.Add(app);
            urls.Add(url);
        }

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSdKit().AddZooKeeper(o => o.Connection.ConnectString = zooKeeper.ConnectString);
        builder.Services.AddSdKitGrpc(o => o.LoadBalancingPolicy = policy);
        using var host = builder.Build();
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        var instancer = host.Services.GetRequiredKeyedService<IInstancer>(service);
        while ((await instancer.WaitForFirstEventAsync(cancellationToken).ConfigureAwait(false)).Instances.Length < 3 || instancer.Current.Instances.Length < 3)
        {
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }

        using var sdkit = GrpcChannel.ForAddress($"sdkit:///{service}", new GrpcChannelOptions { Credentials = ChannelCredentials.Insecure, ServiceProvider = host.Services });
        // The same logger factory for both channels: a channel logs through its provider's ILoggerFactory on every
        // call, and the host's (console, filters) costs more per call than none at all.
        var statics = new ServiceCollection()
            .AddSingleton(host.Services.GetRequiredService<ILoggerFactory>())
            .AddSingleton<ResolverFactory>(new StaticResolverFactory(_ => urls.Select(u => new Uri(u)).Select(u => new BalancerAddress(u.Host, u.Port))))
            .BuildServiceProvider();
        using var staticChannel = GrpcChannel.ForAddress("static:///greeter", new GrpcChannelOptions
        {
            Credentials = ChannelCredentials.Insecure,
            ServiceProvider = statics,
            ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new RoundRobinConfig() } },
        });

        var variants = new (string Name, GrpcChannel Channel)[] { ("sdkit_p2c", sdkit), ("static_round_robin", staticChannel) };
        foreach (var (_, channel) in variants)
        {
            await RunRoundAsync(new Greeter.GreeterClient(channel), concurrency, TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        }

        var results = variants.ToDictionary(v => v.Name, _ => (Calls: 0L, Seconds: 0.0, Latencies: new List<double>()));
        for (var round = 0; round < rounds; round++)
        {
            // Each round swaps which channel goes first, so neither always runs on the warmer or quieter half.
            foreach (var (name, channel) in round % 2 == 0 ? variants : variants.Reverse())
            {
                var (calls, elapsed, latencies) = await RunRoundAsync(new Greeter.GreeterClient(channel), concurrency, TimeSpan.FromSeconds(seconds), cancellationToken).ConfigureAwait(false);
                var total = results[name];
                total.Latencies.AddRange(latencies);
                results[name] = (total.Calls + calls, total.Seconds + elapsed, total.Latencies);
            }
        }

        var figures = new Dictionary<string, object> { ["scenario"] = Name, ["sdkit_policy"] = policy, ["concurrency"] = concurrency, ["rounds"] = rounds, ["seconds_per_round"] = seconds };
        foreach (var (name, (calls, elapsed, latencies)) in results)
        {
            latencies.Sort();
            figures[$"{name}_calls_per_s"] = ScenarioFigures.Round(calls / elapsed);
            figures[$"{name}_p50_ms"] = ScenarioFigures.Round(ScenarioFigures.Percentile(latencies, 50));
            figures[$"{name}_p99_ms"] = ScenarioFigures.Round(ScenarioFigures.Percentile(latencies, 99));
        }

        figures["throughput_ratio"] = ScenarioFigures.Round((double)figures["sdkit_p2c_calls_per_s"] / (double)figures["static_round_robin_calls_per_s"]);
        figures["p99_ratio"] = ScenarioFigures.Round((double)figures["sdkit_p2c_p99_ms"] / (double)figures["static_round_robin_p99_ms"]);
        ScenarioFigures.PrintJson(figures);
        await host.StopAsync(cancellationToken).ConfigureAwait(false);
        foreach (var app in backends)
        {
            await app.StopAsync(cancellationToken).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }

        return 0;
    }

    private static async Task<(long Calls, double Seconds, List<double> Latencies)> RunRoundAsync(Greeter.GreeterClient client, int concurrency, TimeSpan duration, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            var latencies = new List<double>();
            var request = new HelloRequest { Name = "bench" };
            while (Stopwatch.GetTimestamp() < end)
            {
                var started = Stopwatch.GetTimestamp();
                await client.SayHelloAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            return latencies;
        }, cancellationToken)).ToArray();
        var all = await Task.WhenAll(workers).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var merged = all.SelectMany(l => l).ToList();
        return (merged.Count, elapsed, merged);
    }
}
