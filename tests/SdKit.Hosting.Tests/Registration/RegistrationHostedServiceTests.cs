using System.Net;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SdKit.Hosting.Registration;
using SdKit.InMemory;
using SdKit.Registration;
using Xunit;

namespace SdKit.Hosting.Tests.Registration;

public sealed class RegistrationHostedServiceTests
{
    private const string ServicePath = "/services/hello";

    [Fact]
    public async Task StartAsync_ApplicationStarted_RegistersTheServerAddress()
    {
        var registry = new InMemoryRegistry();
        await using var watch = new RegistryWatch(registry, ServicePath);
        await using var server = await HelloServer.StartAsync(registry, "hello");

        var seen = await watch.WaitForAsync(e => e.Instances.Contains(server.Address));

        Assert.Equal([server.Address], seen.Instances.ToArray());
        Assert.StartsWith("http://127.0.0.1:", server.Address, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_AnotherHostedServiceStillStarting_RegistersOnlyAfterItStarted()
    {
        var registry = new InMemoryRegistry();
        var gate = new SlowStartingService();
        await using var watch = new RegistryWatch(registry, ServicePath);
        var app = HelloServer.Build(registry, "hello", (builder, _) => builder.Services.AddHostedService(_ => gate));
        await using (app)
        {
            var starting = app.StartAsync();
            await gate.Entered.Task.WaitAsync(TestTimeouts.Event);

            Assert.Empty(registry.Snapshot(ServicePath));
            Assert.Null(app.Services.GetRequiredService<RegistrationHostedService>().Registrar);

            gate.Release.SetResult();
            await starting.WaitAsync(TestTimeouts.Start);
            await watch.WaitForAsync(e => e.Instances.Length == 1);
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task StoppingAsync_RequestInFlight_DeregistersBeforeTheRequestDrains()
    {
        var registry = new InMemoryRegistry();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var watch = new RegistryWatch(registry, ServicePath);
        var server = await HelloServer.StartAsync(registry, "hello", handler: async context =>
        {
            entered.SetResult();
            await release.Task;
            await context.Response.WriteAsync("done");
        });
        await watch.WaitForAsync(e => e.Instances.Length == 1);
        using var http = new HttpClient();
        var request = http.GetAsync(new Uri(server.Address + "/slow"));
        await entered.Task.WaitAsync(TestTimeouts.Event);

        var stopping = server.App.StopAsync();
        await watch.WaitForAsync(e => e.Instances.IsEmpty);

        Assert.False(request.IsCompleted);
        release.SetResult();
        using var response = await request.WaitAsync(TestTimeouts.Event);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("done", await response.Content.ReadAsStringAsync());
        await stopping.WaitAsync(TestTimeouts.Start);
        await server.App.DisposeAsync();
    }

    [Fact]
    public async Task StartAsync_RegistryUnreachable_StartsAndRegistersInTheBackgroundOnceItIsBack()
    {
        var registry = new InMemoryRegistry();
        await using var watch = new RegistryWatch(registry, ServicePath);
        var app = HelloServer.Build(registry, "hello");
        await using (app)
        {
            var client = (InMemoryDiscoveryClient)app.Services.GetRequiredService<SdKit.Client.IDiscoveryClient>();
            client.Suspend();

            await app.StartAsync().WaitAsync(TestTimeouts.Start);
            var service = app.Services.GetRequiredService<RegistrationHostedService>();
            await WaitForStateAsync(service, RegistrationState.Registering);
            Assert.Empty(registry.Snapshot(ServicePath));

            client.Resume();
            await watch.WaitForAsync(e => e.Instances.Length == 1);
            await WaitForStateAsync(service, RegistrationState.Registered);
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task StartAsync_InstanceFromConfiguration_RegistersItWithoutAServer()
    {
        var registry = new InMemoryRegistry();
        await using var watch = new RegistryWatch(registry, "/apps/worker");
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["SdKit:ServicesPath"] = "/apps";
        builder.Configuration["SdKit:Registration:Service"] = "worker";
        builder.Configuration["SdKit:Registration:Instance"] = "127.0.0.1:7000";
        builder.Services.AddSdKit().AddInMemory(registry);
        using var host = builder.Build();

        await host.StartAsync().WaitAsync(TestTimeouts.Start);
        await watch.WaitForAsync(e => e.Instances.Contains("127.0.0.1:7000"));
        await host.StopAsync().WaitAsync(TestTimeouts.Start);

        Assert.Empty(registry.Snapshot("/apps/worker"));
    }

    private static async Task WaitForStateAsync(RegistrationHostedService service, RegistrationState state)
    {
        // The registrar exists once ApplicationStarted has fired; its state stream replays the current state.
        var registrar = await service.RegistrarCreated.WaitAsync(TestTimeouts.Event);
        await registrar.StateChanges.FirstAsync(s => s == state).ToTask().WaitAsync(TestTimeouts.Event);
    }

    private sealed class SlowStartingService : IHostedService
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            Entered.SetResult();
            await Release.Task.WaitAsync(cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
