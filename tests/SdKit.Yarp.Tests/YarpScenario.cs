using System.Diagnostics;
using System.Net;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SdKit.Grpc.Tests;
using SdKit.Instances;
using SdKit.Testing.Network;
using SdKit.Testing.Processes;
using SdKit.Transports.TestBackend;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;

namespace SdKit.Yarp.Tests;

/// <summary>
/// Three ASP.NET backends registered through the hosted registrar, a YARP proxy whose one cluster destination is
/// <c>sdkit:///{service}</c>, and callers sending GETs through the proxy until stopped. A caller retries a 502/503 or a
/// broken connection (up to <see cref="Attempts"/> attempts), as an application's resilience handler would; only a call that still fails counts.
/// </summary>
internal sealed class YarpScenario : IAsyncDisposable
{
    public const int Callers = 3;

    /// <summary>Attempts per request: the caller's own retry, as an application's resilience handler would do.</summary>
    public const int Attempts = 4;

    private readonly List<IAsyncDisposable> _owned = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private Task[] _callers = [];

    private YarpScenario(TestRegistry registry, string service)
    {
        Registry = registry;
        Service = service;
    }

    public TestRegistry Registry { get; }

    public string Service { get; }

    public CallLog Calls { get; } = new();

    public WebApplication Proxy { get; private set; } = null!;

    public string ProxyUrl { get; private set; } = string.Empty;

    public IInstancer ProxyInstancer => Proxy.Services.GetRequiredKeyedService<IInstancer>(Service);

    public static async Task<YarpScenario> StartAsync(string registryKind)
    {
        var registry = await TestRegistry.StartAsync(registryKind);
        var scenario = new YarpScenario(registry, $"web-{Guid.NewGuid():N}");
        scenario._owned.Add(registry);
        return scenario;
    }

    public async Task<WebApplication> StartInProcessBackendAsync()
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        var app = TransportBackend.Build([.. BackendArguments(url)]);
        _owned.Add(app);
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return app;
    }

    public ServerProcess StartProcessBackend(out string url)
    {
        url = $"http://127.0.0.1:{FreePort.Next()}";
        var log = Path.Combine(Path.GetTempPath(), $"sdkit-yarp-backend-{Guid.NewGuid():N}.log");
        var process = ServerProcess.Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "SdKit.Transports.TestBackend.dll"), .. BackendArguments(url)], log, AppContext.BaseDirectory);
        _owned.Add(process);
        return process;
    }

    /// <summary>Starts the proxy and waits until its instancer lists <paramref name="instances"/> instances.</summary>
    public async Task StartProxyAsync(int instances)
    {
        ProxyUrl = $"http://127.0.0.1:{FreePort.Next()}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(ProxyUrl);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        Registry.Use(builder.Services.AddSdKit());
        builder.Services.AddReverseProxy()
            .LoadFromMemory(
                [new RouteConfig { RouteId = "all", ClusterId = "web", Match = new RouteMatch { Path = "{**rest}" } }],
                [new ClusterConfig
                {
                    ClusterId = "web",

                    // SdKit's passive health policy covers the seconds between a crash and the registry's expiry: a
                    // destination that refuses a connection is left out until the registry drops it.
                    HealthCheck = new HealthCheckConfig
                    {
                        Passive = new PassiveHealthCheckConfig { Enabled = true, Policy = SdKitReverseProxyBuilderExtensions.ConnectionFailureHealthPolicy, ReactivationPeriod = TimeSpan.FromSeconds(10) },
                    },
                    Destinations = new Dictionary<string, DestinationConfig> { ["web"] = new() { Address = $"sdkit:///{Service}", Metadata = new Dictionary<string, string> { ["team"] = "tests" } } },
                }])
            .AddSdKitDestinations();

        Proxy = builder.Build();
        Proxy.MapReverseProxy();
        await Proxy.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await ProxyInstancer.FirstAsync(e => e.Instances.Length == instances).ToTask().WaitAsync(TimeSpan.FromSeconds(60));
    }

    public void StartCallers() => _callers = [.. Enumerable.Range(0, Callers).Select(_ => Task.Run(() => CallUntilStoppedAsync(_stop.Token)))];

    public async Task StopCallersAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_callers).WaitAsync(TimeSpan.FromSeconds(30));
    }

    public Task<long> WhenRemovedAsync(string url)
        => ProxyInstancer.Where(e => !e.Instances.Contains(url)).Select(_ => Stopwatch.GetTimestamp()).FirstAsync().ToTask().WaitAsync(TimeSpan.FromSeconds(60));

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopCallersAsync();
        }

        if (Proxy is not null)
        {
            await Proxy.StopAsync();
            await Proxy.DisposeAsync();
        }

        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }

        _http.Dispose();
        _stop.Dispose();
    }

    private IEnumerable<string> BackendArguments(string url) => ["--urls", url, "--Service", Service, "--Protocols", "Http1", .. Registry.BackendArguments];

    private async Task CallUntilStoppedAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            string? error = null;
            for (var attempt = 0; attempt < Attempts; attempt++)
            {
                try
                {
                    using var response = await _http.GetAsync(new Uri(ProxyUrl + "/"), stop);
                    if (response.StatusCode is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout)
                    {
                        error = $"HTTP {(int)response.StatusCode}";
                        continue;
                    }

                    response.EnsureSuccessStatusCode();
                    var backend = (await response.Content.ReadAsStringAsync(stop)).Trim('"');
                    Calls.Add(new CallLog.Call(started, Stopwatch.GetTimestamp(), backend, null));
                    error = null;
                    break;
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (HttpRequestException ex)
                {
                    error = $"{ex.GetType().Name}: {ex.Message}";
                }
            }

            if (error is not null)
            {
                Calls.Add(new CallLog.Call(started, Stopwatch.GetTimestamp(), null, error));
            }
        }
    }
}
