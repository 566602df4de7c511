using System.Diagnostics;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Grpc.Core;
using Grpc.Net.Client.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SdKit.Instances;
using SdKit.Testing.Network;
using SdKit.Testing.Processes;
using SdKit.Transports.TestBackend;

namespace SdKit.Grpc.Tests;

/// <summary>
/// The pieces of the gRPC scenarios: backends registered through the hosted registrar (in this process, to stop them
/// gracefully, or as processes, to SIGKILL them), a client host with <c>AddGrpcClient</c> on <c>sdkit:///</c> and
/// <c>AddSdKitGrpc()</c>, and callers that run until stopped, recording every call.
/// </summary>
internal sealed class GrpcScenario : IAsyncDisposable
{
    public const int Callers = 3;

    private readonly List<IAsyncDisposable> _owned = [];
    private readonly CancellationTokenSource _stop = new();
    private Task[] _callers = [];

    private GrpcScenario(TestRegistry registry, string service)
    {
        Registry = registry;
        Service = service;
    }

    public TestRegistry Registry { get; }

    public string Service { get; }

    public CallLog Calls { get; } = new();

    public IHost Client { get; private set; } = null!;

    public IInstancer ClientInstancer => Client.Services.GetRequiredKeyedService<IInstancer>(Service);

    public static async Task<GrpcScenario> StartAsync(string registryKind)
    {
        var registry = await TestRegistry.StartAsync(registryKind);
        var scenario = new GrpcScenario(registry, $"greeter-{Guid.NewGuid():N}");
        scenario._owned.Add(registry);
        return scenario;
    }

    /// <summary>Starts a backend in this process; returns it and its URL.</summary>
    public async Task<WebApplication> StartInProcessBackendAsync()
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        var app = TransportBackend.Build([.. BackendArguments(url)]);
        _owned.Add(app);
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return app;
    }

    /// <summary>Starts a backend as a process (so that SIGKILL ends it for real).</summary>
    public ServerProcess StartProcessBackend(out string url)
    {
        url = $"http://127.0.0.1:{FreePort.Next()}";
        var log = Path.Combine(Path.GetTempPath(), $"sdkit-grpc-backend-{Guid.NewGuid():N}.log");
        var process = ServerProcess.Start(
            "dotnet",
            [Path.Combine(AppContext.BaseDirectory, "SdKit.Transports.TestBackend.dll"), .. BackendArguments(url)],
            log,
            AppContext.BaseDirectory);
        _owned.Add(process);
        return process;
    }

    /// <summary>Starts the client host and waits until its instancer lists <paramref name="instances"/> instances.</summary>
    public async Task StartClientAsync(int instances)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        Registry.Use(builder.Services.AddSdKit());
        builder.Services.AddSdKitGrpc();
        builder.Services.AddGrpcClient<Greeter.GreeterClient>(o => o.Address = new Uri($"sdkit:///{Service}"))
            .ConfigureChannel(channel => channel.ServiceConfig = RetryingServiceConfig());
        Client = builder.Build();
        await Client.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await ClientInstancer.FirstAsync(e => e.Instances.Length == instances).ToTask().WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>
    /// What the documentation recommends next to SdKit's policy: a call that could not reach its instance
    /// (<c>Unavailable</c>: refused, reset, the server going away) is tried again, on another pick.
    /// </summary>
    public static ServiceConfig RetryingServiceConfig() => new()
    {
        MethodConfigs =
        {
            new MethodConfig
            {
                Names = { MethodName.Default },
                RetryPolicy = new RetryPolicy
                {
                    MaxAttempts = 5,
                    InitialBackoff = TimeSpan.FromMilliseconds(20),
                    MaxBackoff = TimeSpan.FromMilliseconds(500),
                    BackoffMultiplier = 2,
                    RetryableStatusCodes = { StatusCode.Unavailable },
                },
            },
        },
    };

    public void StartCallers()
    {
        var client = Client.Services.GetRequiredService<Greeter.GreeterClient>();
        _callers = [.. Enumerable.Range(0, Callers).Select(_ => Task.Run(() => CallUntilStoppedAsync(client, _stop.Token)))];
    }

    public async Task StopCallersAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_callers).WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Records when the client's instancer first lists no <paramref name="url"/> (from now on).</summary>
    public Task<long> WhenRemovedAsync(string url)
        => ClientInstancer.Where(e => !e.Instances.Contains(url)).Select(_ => Stopwatch.GetTimestamp()).FirstAsync().ToTask().WaitAsync(TimeSpan.FromSeconds(60));

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopCallersAsync();
        }

        if (Client is not null)
        {
            await Client.StopAsync();
            Client.Dispose();
        }

        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }

        _stop.Dispose();
    }

    private IEnumerable<string> BackendArguments(string url) => ["--urls", url, "--Service", Service, .. Registry.BackendArguments];

    private async Task CallUntilStoppedAsync(Greeter.GreeterClient client, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                var reply = await client.SayHelloAsync(new HelloRequest { Name = "test" }, deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: stop);
                Calls.Add(new CallLog.Call(started, Stopwatch.GetTimestamp(), reply.Backend, null));
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Calls.Add(new CallLog.Call(started, Stopwatch.GetTimestamp(), null, $"{ex.GetType().Name}: {ex.Message}"));
            }
        }
    }
}
