using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using SdKit.InMemory;
using SdKit.Instances;
using Xunit;

namespace SdKit.Hosting.Tests.Registration;

/// <summary>
/// What an operator reads at Information: a backend logs its registration and its deregistration once each, and a
/// frontend logs each instance that joins or leaves a service it calls, once. Real Kestrel servers and a client host,
/// their log lines collected by a FakeLogCollector.
/// </summary>
public sealed class RegistrationLoggingTests
{
    [Fact]
    public async Task Hosts_InstanceJoinsAndLeaves_OneInformationLinePerEventOnEachSide()
    {
        var registry = new InMemoryRegistry();
        await using var first = await HelloServer.StartAsync(registry, "hello", LogInformation);
        using var client = await StartClientAsync(registry);
        var instancer = client.Services.GetRequiredKeyedService<IInstancer>("hello");
        await instancer.FirstAsync(e => e.Instances.Length == 1).ToTask().WaitAsync(TestTimeouts.Event);

        var second = await HelloServer.StartAsync(registry, "hello", LogInformation);
        await instancer.FirstAsync(e => e.Instances.Length == 2).ToTask().WaitAsync(TestTimeouts.Event);
        var address = second.Address;
        var backendLog = second.App.Services.GetFakeLogCollector();
        await second.DisposeAsync();
        await instancer.FirstAsync(e => e.Instances.Length == 1).ToTask().WaitAsync(TestTimeouts.Event);
        await client.StopAsync();

        // Kestrel's own "Now listening on" line names the address too: only SdKit's lines count here.
        var backend = Information(backendLog).Where(r => r.Category!.StartsWith("SdKit.", StringComparison.Ordinal)).Select(r => r.Message).ToList();
        Assert.Collection(
            backend,
            line => Assert.StartsWith($"Registered '{address}' under '/services/hello' as '", line, StringComparison.Ordinal),
            line => Assert.StartsWith($"Deregistered '{address}' under '/services/hello' ('", line, StringComparison.Ordinal));

        var frontend = Information(client.Services.GetFakeLogCollector()).Where(r => r.Category == "SdKit.Instances.Instancer").ToList();
        Assert.Equal(
            [
                $"'/services/hello' has 1 instances: {first.Address}.",
                $"Instance '{address}' joined '/services/hello' (2 instances now).",
                $"Instance '{address}' left '/services/hello' (1 instances now).",
            ],
            frontend.Select(r => r.Message));
    }

    private static void LogInformation(Microsoft.AspNetCore.Builder.WebApplicationBuilder builder, ISdKitBuilder sdkit)
    {
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFakeLogging();
    }

    private static async Task<IHost> StartClientAsync(InMemoryRegistry registry)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFakeLogging();
        builder.Services.AddSdKit().AddInMemory(registry);
        var host = builder.Build();
        await host.StartAsync().WaitAsync(TestTimeouts.Start);
        return host;
    }

    private static IEnumerable<FakeLogRecord> Information(FakeLogCollector collector)
        => collector.GetSnapshot().Where(r => r.Level == LogLevel.Information);
}
