using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.ServiceDiscovery;
using SdKit.Hosting.Tests.ServiceDiscovery;
using SdKit.Instances;
using SdKit.Testing.ZooKeeper;
using Xunit;

namespace SdKit.Hosting.Tests.Backends;

/// <summary>Hosts on a real standalone ZooKeeper started on loopback (one for the class).</summary>
public sealed class ZooKeeperHostingTests(ZooKeeperServerFixture zooKeeper) : IClassFixture<ZooKeeperServerFixture>
{
    [Fact]
    public async Task Host_ZooKeeper_RegistersAfterStartResolvesOverHttpAndDeregistersOnStop()
    {
        await using var first = await HelloServer.StartAsync(Backend, "zk-hello", (builder, _) => builder.Services.AddHealthChecks().AddSdKit());
        var second = await HelloServer.StartAsync(Backend, "zk-hello");
        var (firstAddress, secondAddress) = (new Uri(first.Address).Authority, new Uri(second.Address).Authority);
        using var client = await StartClientAsync();
        var instancer = client.Services.GetRequiredKeyedService<IInstancer>("zk-hello");
        await instancer.FirstAsync(e => e.Instances.Length == 2).ToTask().WaitAsync(TestTimeouts.Event);
        var http = client.Services.GetRequiredService<IHttpClientFactory>().CreateClient("zk");

        var answers = new HashSet<string>();
        for (var call = 0; call < 4; call++)
        {
            answers.Add(await http.GetStringAsync(new Uri("/", UriKind.Relative)));
        }

        var health = await first.App.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        await second.DisposeAsync();
        var afterStop = await instancer.FirstAsync(e => e.Instances.Length == 1).ToTask().WaitAsync(TestTimeouts.Event);
        // The resolver refreshes right after the instancer's change; until then a call may still pick the stopped
        // server and fail, so wait for ten answers in a row from the remaining one.
        var later = await HttpAnswers.CollectUntilAsync(http, seen => seen.Count == 1 && seen.Contains(firstAddress), fresh: true, consecutive: 10);

        await client.StopAsync();

        Assert.Equal(new HashSet<string>([firstAddress, secondAddress]), answers);
        Assert.Equal(HealthStatus.Healthy, health.Status);
        Assert.Equal([first.Address], afterStop.Instances.ToArray());
        Assert.Equal(new HashSet<string>([firstAddress]), later);
    }

    private ISdKitBuilder Backend(ISdKitBuilder sdkit)
        => sdkit.AddZooKeeper(options => options.Connection.ConnectString = zooKeeper.ConnectString);

    private async Task<IHost> StartClientAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        Backend(builder.Services.AddSdKit());
        builder.Services.Configure<ServiceDiscoveryOptions>(options => options.RefreshPeriod = TimeSpan.FromHours(1));
        builder.Services.AddHttpClient("zk", http => http.BaseAddress = new Uri("http://zk-hello")).AddServiceDiscovery();
        var host = builder.Build();
        await host.StartAsync().WaitAsync(TestTimeouts.Start);
        return host;
    }
}
