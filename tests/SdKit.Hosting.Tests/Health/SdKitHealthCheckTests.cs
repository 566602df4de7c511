using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using SdKit.Client;
using SdKit.Hosting.Registration;
using SdKit.InMemory;
using SdKit.Registration;
using Xunit;

namespace SdKit.Hosting.Tests.Health;

public sealed class SdKitHealthCheckTests
{
    [Fact]
    public async Task CheckHealthAsync_BeforeStartThenRegistered_DegradedThenHealthy()
    {
        var app = Build(new InMemoryRegistry());
        await using (app)
        {
            var before = await CheckAsync(app);
            await app.StartAsync().WaitAsync(TestTimeouts.Start);
            await WaitForStateAsync(app, RegistrationState.Registered);
            var after = await CheckAsync(app);
            await app.StopAsync();

            Assert.Equal(HealthStatus.Degraded, before.Status);
            Assert.Equal("Not registered yet.", before.Description);
            Assert.Equal(HealthStatus.Healthy, after.Status);
            Assert.Equal("Connected and registered.", after.Description);
            Assert.Equal("Registered", after.Data["registration"]);
        }
    }

    [Fact]
    public async Task CheckHealthAsync_ConnectionSuspended_Degraded()
    {
        var app = Build(new InMemoryRegistry());
        await using (app)
        {
            await app.StartAsync().WaitAsync(TestTimeouts.Start);
            await WaitForStateAsync(app, RegistrationState.Registered);
            Client(app).Suspend();
            await WaitForStateAsync(app, RegistrationState.Suspended);

            var report = await CheckAsync(app);

            Assert.Equal(HealthStatus.Degraded, report.Status);
            Assert.Equal("Suspended", report.Data["connection"]);
            Client(app).Resume();
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task CheckHealthAsync_SessionLost_UnhealthyUntilRegisteredAgain()
    {
        var registry = new InMemoryRegistry();
        var app = Build(registry);
        await using (app)
        {
            await app.StartAsync().WaitAsync(TestTimeouts.Start);
            await WaitForStateAsync(app, RegistrationState.Registered);
            var states = Client(app).StateChanges.Replay();
            using var connection = states.Connect();
            Client(app).LoseSession();

            var lost = await CheckAsync(app);
            Client(app).Resume();
            await states.FirstAsync(s => s == ConnectionState.Reconnected).ToTask().WaitAsync(TestTimeouts.Event);
            await WaitForStateAsync(app, RegistrationState.Registered);
            var healed = await CheckAsync(app);
            await app.StopAsync();

            Assert.Equal(HealthStatus.Unhealthy, lost.Status);
            Assert.Equal("Lost", lost.Data["connection"]);
            Assert.Equal(HealthStatus.Healthy, healed.Status);
        }
    }

    [Fact]
    public async Task CheckHealthAsync_NoRegistrationConfigured_HealthyWhenConnected()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSdKit().AddInMemory();
        builder.Services.AddHealthChecks().AddSdKit();
        using var host = builder.Build();
        await host.StartAsync().WaitAsync(TestTimeouts.Start);

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        await host.StopAsync();

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal("Connected.", report.Entries["sdkit"].Description);
    }

    private static WebApplication Build(InMemoryRegistry registry)
        => HelloServer.Build(registry, "hello", (builder, _) => builder.Services.AddHealthChecks().AddSdKit());

    private static InMemoryDiscoveryClient Client(WebApplication app) => (InMemoryDiscoveryClient)app.Services.GetRequiredService<IDiscoveryClient>();

    private static async Task<HealthReportEntry> CheckAsync(WebApplication app)
    {
        var report = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        return report.Entries["sdkit"];
    }

    private static async Task WaitForStateAsync(WebApplication app, RegistrationState state)
    {
        var registrar = await app.Services.GetRequiredService<RegistrationHostedService>().RegistrarCreated.WaitAsync(TestTimeouts.Event);
        await registrar.StateChanges.FirstAsync(s => s == state).ToTask().WaitAsync(TestTimeouts.Event);
    }
}
