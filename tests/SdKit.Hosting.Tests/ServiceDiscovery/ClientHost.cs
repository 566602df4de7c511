using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.ServiceDiscovery;

namespace SdKit.Hosting.Tests.ServiceDiscovery;

/// <summary>
/// A started client application: SdKit on a backend, and an HTTP client named after a service that resolves
/// <c>http://{service}</c> through Microsoft.Extensions.ServiceDiscovery. Its refresh period is an hour, so only SdKit's
/// change token can make it see a change within a test.
/// </summary>
internal static class ClientHost
{
    public static async Task<IHost> StartAsync(Func<ISdKitBuilder, ISdKitBuilder> backend, string service, TimeSpan firstSnapshotTimeout)
    {
        var builder = Host.CreateApplicationBuilder();
        backend(builder.Services.AddSdKit(options => options.FirstSnapshotTimeout = firstSnapshotTimeout));
        builder.Services.Configure<ServiceDiscoveryOptions>(options => options.RefreshPeriod = TimeSpan.FromHours(1));
        builder.Services.AddHttpClient(service, http => http.BaseAddress = new Uri($"http://{service}")).AddServiceDiscovery();
        var host = builder.Build();
        await host.StartAsync().WaitAsync(TestTimeouts.Start);
        return host;
    }
}
