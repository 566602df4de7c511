using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.ServiceDiscovery;
using SdKit.Hosting.Tests.ServiceDiscovery;
using SdKit.Hosting.Tests.Snippets;
using SdKit.Instances;
using SdKit.Testing.Etcd;
using Xunit;

namespace SdKit.Hosting.Tests.Backends;

/// <summary>Hosts on a real single-member etcd started on loopback (one for the class).</summary>
public sealed class EtcdHostingTests(EtcdSingleMemberFixture etcd) : IClassFixture<EtcdSingleMemberFixture>
{
    [Fact]
    public async Task Host_Etcd_RegistersAfterStartResolvesOverHttpAndDeregistersOnStop()
    {
        await using var first = await HelloServer.StartAsync(Backend, "etcd-hello", (builder, _) => builder.Services.AddHealthChecks().AddSdKit());
        var second = await HelloServer.StartAsync(Backend, "etcd-hello");
        string[] bothAddresses = [.. new[] { first.Address, second.Address }.Order(StringComparer.Ordinal)];
        var (firstAddress, secondAddress) = (new Uri(first.Address).Authority, new Uri(second.Address).Authority);
        using var client = await StartClientAsync(TimeSpan.FromSeconds(5));
        var instancer = client.Services.GetRequiredKeyedService<IInstancer>("etcd-hello");
        var bothSeen = await instancer.FirstAsync(e => e.Instances.Length == 2).ToTask().WaitAsync(TestTimeouts.Event);
        var bothStored = await StoredInstancesAsync("etcd-hello");
        var http = client.Services.GetRequiredService<IHttpClientFactory>().CreateClient("etcd");

        var answers = new HashSet<string>();
        for (var call = 0; call < 4; call++)
        {
            answers.Add(await http.GetStringAsync(new Uri("/", UriKind.Relative)));
        }

        var health = await first.App.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        await second.DisposeAsync();
        var afterStop = await instancer.FirstAsync(e => e.Instances.Length == 1).ToTask().WaitAsync(TestTimeouts.Event);
        var storedAfterStop = await StoredInstancesAsync("etcd-hello");

        // The resolver refreshes right after the instancer's change; until then a call may still pick the stopped
        // server and fail, so wait for ten answers in a row from the remaining one.
        var later = await HttpAnswers.CollectUntilAsync(http, seen => seen.Count == 1 && seen.Contains(firstAddress), fresh: true, consecutive: 10);
        await client.StopAsync();

        Assert.Equal(bothAddresses, bothSeen.Instances.ToArray());
        Assert.Equal(bothAddresses, bothStored);
        Assert.Equal(new HashSet<string>([firstAddress, secondAddress]), answers);
        Assert.Equal(HealthStatus.Healthy, health.Status);
        Assert.Equal([first.Address], afterStop.Instances.ToArray());
        Assert.Equal([first.Address], storedAfterStop);
        Assert.Equal(new HashSet<string>([firstAddress]), later);
    }

    [Fact]
    public async Task Host_EtcdFromConfiguration_RegistersOnStartAndDeletesTheEntryOnStop()
    {
        const string Instance = "http://127.0.0.1:8080";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SdKit:Etcd:Endpoints"] = etcd.Endpoints,
            ["SdKit:Registration:Service"] = "etcd-configured",
            ["SdKit:Registration:Instance"] = Instance,
        });
        EtcdConfigurationSnippet.Configure(builder);
        using var watcher = await StartClientAsync(TimeSpan.FromSeconds(5));
        var instancer = watcher.Services.GetRequiredKeyedService<IInstancer>("etcd-configured");
        var app = builder.Build();
        await using (app)
        {
            await app.StartAsync().WaitAsync(TestTimeouts.Start);
            var registered = await instancer.FirstAsync(e => e.Instances.Length == 1).ToTask().WaitAsync(TestTimeouts.Event);
            var stored = await StoredInstancesAsync("etcd-configured");
            var health = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

            await app.StopAsync().WaitAsync(TestTimeouts.Start);
            var gone = await instancer.FirstAsync(e => e.Instances.IsEmpty).ToTask().WaitAsync(TestTimeouts.Event);
            var storedAfterStop = await StoredInstancesAsync("etcd-configured");

            Assert.Equal([Instance], registered.Instances.ToArray());
            Assert.Equal([Instance], stored);
            Assert.Equal(HealthStatus.Healthy, health.Status);
            Assert.Null(gone.Error);
            Assert.Empty(storedAfterStop);
        }

        await watcher.StopAsync();
    }

    [Fact]
    public async Task GetEndpointsAsync_EtcdServiceWithNoInstances_ResolvesEmptyWithoutWaitingForTheTimeout()
    {
        using var client = await StartClientAsync(TimeSpan.FromMinutes(10));
        var resolver = client.Services.GetRequiredService<ServiceEndpointResolver>();

        // The first-snapshot timeout is ten minutes: only the instancer's first answer (an empty prefix) ends the
        // wait this early.
        var source = await resolver.GetEndpointsAsync("http://etcd-nobody", CancellationToken.None).AsTask().WaitAsync(TestTimeouts.Event);
        var answered = await client.Services.GetRequiredKeyedService<IInstancer>("etcd-nobody").WaitForFirstEventAsync();
        await client.StopAsync();

        Assert.Empty(source.Endpoints);
        Assert.Null(answered.Error);
    }

    private ISdKitBuilder Backend(ISdKitBuilder sdkit)
        => sdkit.AddEtcd(options =>
        {
            foreach (var endpoint in etcd.Cluster.EndpointList)
            {
                options.Endpoints.Add(endpoint);
            }
        });

    /// <summary>Reads the instances stored under a service straight from etcd, past SdKit.</summary>
    private async Task<string[]> StoredInstancesAsync(string service)
    {
        var output = await etcd.Cluster.Ctl.RunAsync("get", "--prefix", $"/services/{service}/", "--print-value-only");
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal)];
    }

    private async Task<IHost> StartClientAsync(TimeSpan firstSnapshotTimeout)
    {
        var builder = Host.CreateApplicationBuilder();
        Backend(builder.Services.AddSdKit(options => options.FirstSnapshotTimeout = firstSnapshotTimeout));
        builder.Services.Configure<ServiceDiscoveryOptions>(options => options.RefreshPeriod = TimeSpan.FromHours(1));
        builder.Services.AddHttpClient("etcd", http => http.BaseAddress = new Uri("http://etcd-hello")).AddServiceDiscovery();
        var host = builder.Build();
        await host.StartAsync().WaitAsync(TestTimeouts.Start);
        return host;
    }
}
