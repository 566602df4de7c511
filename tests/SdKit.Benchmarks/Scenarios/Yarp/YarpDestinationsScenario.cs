using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SdKit.Instances;
using SdKit.Testing.Network;
using SdKit.Testing.ZooKeeper;
using SdKit.Transports.TestBackend;
using Yarp.ReverseProxy.Configuration;

namespace SdKit.Benchmarks.Scenarios.Yarp;

/// <summary>
/// Requests per second and latency percentiles through two YARP proxies in front of the same three ASP.NET backends
/// (registered in a real ZooKeeper): one whose cluster destination is <c>sdkit:///</c> (SdKit's destination resolver),
/// one with the three addresses written out. Rounds alternate which proxy goes first.
/// </summary>
public sealed class YarpDestinationsScenario : IScenario
{
    /// <inheritdoc/>
    public string Name => "yarp-destinations";

    /// <inheritdoc/>
    public string Usage => "[--seconds 5] [--rounds 4] [--concurrency 16]";

    /// <inheritdoc/>
    public async Task<int> RunAsync(ScenarioArguments arguments, CancellationToken cancellationToken)
    {
        var seconds = arguments.Int("seconds", 5);
        var rounds = arguments.Int("rounds", 4);
        var concurrency = arguments.Int("concurrency", 16);
        await using var zooKeeper = await ZooKeeperServer.StartStandaloneAsync().ConfigureAwait(false);
        var service = $"bench-{Guid.NewGuid():N}";
        var apps = new List<WebApplication>();
        var urls = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var url = $"http://127.0.0.1:{FreePort.Next()}";
            var app = TransportBackend.Build(["--urls", url, "--Service", service, "--Protocols", "Http1", "--Registry", "zookeeper", "--SdKit:ZooKeeper:ConnectString", zooKeeper.ConnectString]);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            apps.Add(app);
            urls.Add(url);
        }

        var sdkitProxy = await StartProxyAsync(zooKeeper.ConnectString, new Dictionary<string, DestinationConfig> { ["web"] = new() { Address = $"sdkit:///{service}" } }, cancellationToken).ConfigureAwait(false);
        var instancer = sdkitProxy.App.Services.GetRequiredKeyedService<IInstancer>(service);
        while (instancer.Current.Instances.Length < 3)
        {
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }

        var staticProxy = await StartProxyAsync(zooKeeper.ConnectString, urls.Select((u, i) => (u, i)).ToDictionary(x => $"d{x.i}", x => new DestinationConfig { Address = x.u }), cancellationToken).ConfigureAwait(false);
        apps.Add(sdkitProxy.App);
        apps.Add(staticProxy.App);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency });
        var variants = new (string Name, Uri Url)[] { ("sdkit", new Uri(sdkitProxy.Url + "/")), ("static", new Uri(staticProxy.Url + "/")) };
        foreach (var (_, url) in variants)
        {
            await RunRoundAsync(http, url, concurrency, TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        }

        var results = variants.ToDictionary(v => v.Name, _ => (Calls: 0L, Seconds: 0.0, Latencies: new List<double>()));
        for (var round = 0; round < rounds; round++)
        {
            foreach (var (name, url) in round % 2 == 0 ? variants : variants.Reverse())
            {
                var (calls, elapsed, latencies) = await RunRoundAsync(http, url, concurrency, TimeSpan.FromSeconds(seconds), cancellationToken).ConfigureAwait(false);
                var total = results[name];
                total.Latencies.AddRange(latencies);
                results[name] = (total.Calls + calls, total.Seconds + elapsed, total.Latencies);
            }
        }

        var figures = new Dictionary<string, object> { ["scenario"] = Name, ["concurrency"] = concurrency, ["rounds"] = rounds, ["seconds_per_round"] = seconds };
        foreach (var (name, (calls, elapsed, latencies)) in results)
        {
            latencies.Sort();
            figures[$"{name}_requests_per_s"] = ScenarioFigures.Round(calls / elapsed);
            figures[$"{name}_p50_ms"] = ScenarioFigures.Round(ScenarioFigures.Percentile(latencies, 50));
            figures[$"{name}_p99_ms"] = ScenarioFigures.Round(ScenarioFigures.Percentile(latencies, 99));
        }

        figures["throughput_ratio"] = ScenarioFigures.Round((double)figures["sdkit_requests_per_s"] / (double)figures["static_requests_per_s"]);
        figures["p99_ratio"] = ScenarioFigures.Round((double)figures["sdkit_p99_ms"] / (double)figures["static_p99_ms"]);
        ScenarioFigures.PrintJson(figures);
        foreach (var app in apps)
        {
            await app.StopAsync(cancellationToken).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }

        return 0;
    }

    private static async Task<(WebApplication App, string Url)> StartProxyAsync(string connectString, IReadOnlyDictionary<string, DestinationConfig> destinations, CancellationToken cancellationToken)
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSdKit().AddZooKeeper(o => o.Connection.ConnectString = connectString);
        builder.Services.AddReverseProxy()
            .LoadFromMemory(
                [new RouteConfig { RouteId = "all", ClusterId = "web", Match = new RouteMatch { Path = "{**rest}" } }],
                [new ClusterConfig { ClusterId = "web", Destinations = destinations }])
            .AddSdKitDestinations();
        var app = builder.Build();
        app.MapReverseProxy();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return (app, url);
    }

    private static async Task<(long Calls, double Seconds, List<double> Latencies)> RunRoundAsync(HttpClient http, Uri url, int concurrency, TimeSpan duration, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            var latencies = new List<double>();
            while (Stopwatch.GetTimestamp() < end)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync(url, cancellationToken).ConfigureAwait(false);
                response.EnsureSuccessStatusCode();
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            return latencies;
        }, cancellationToken)).ToArray();
        var all = await Task.WhenAll(workers).ConfigureAwait(false);
        var merged = all.SelectMany(l => l).ToList();
        return (merged.Count, Stopwatch.GetElapsedTime(start).TotalSeconds, merged);
    }
}
