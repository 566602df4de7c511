using System.Globalization;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text.RegularExpressions;
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
public sealed class EtcdHostingTests(EtcdSingleMemberFixture etcd) : HostingScenario, IClassFixture<EtcdSingleMemberFixture>
{
    protected override string Name => "etcd";

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
    public async Task Host_EtcdLeaseFromConfiguration_RegistersWithALeaseOfTheConfiguredTtl()
    {
        const string Service = "etcd-lease-configured";
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SdKit:Etcd:Endpoints:0"] = etcd.Cluster.EndpointList[0],
            ["SdKit:Etcd:LeaseTtl"] = "00:00:07",
            ["SdKit:Etcd:KeepAliveInterval"] = "00:00:01",
            ["SdKit:Registration:Service"] = Service,
            ["SdKit:Registration:Instance"] = "127.0.0.1:8282",
        });
        builder.Services.AddSdKit().AddEtcd();
        using var host = builder.Build();

        await host.StartAsync().WaitAsync(TestTimeouts.Start);
        await host.Services.GetRequiredKeyedService<IInstancer>(Service).FirstAsync(e => e.Instances.Length == 1).ToTask().WaitAsync(TestTimeouts.Event);
        var key = (await etcd.Cluster.Ctl.RunAsync("get", "--prefix", $"/services/{Service}/", "--keys-only")).Trim();
        var written = await etcd.Cluster.Ctl.RunAsync("get", key, "-w", "fields");
        var lease = Regex.Match(written, @"""Lease"" : (\d+)").Groups[1].Value;
        var timeToLive = await etcd.Cluster.Ctl.RunAsync("lease", "timetolive", long.Parse(lease, CultureInfo.InvariantCulture).ToString("x", CultureInfo.InvariantCulture));
        await host.StopAsync().WaitAsync(TestTimeouts.Start);

        Assert.Contains("granted with TTL(7s)", timeToLive, StringComparison.Ordinal);
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

    protected override ISdKitBuilder Backend(ISdKitBuilder sdkit)
        => sdkit.AddEtcd(options =>
        {
            foreach (var endpoint in etcd.Cluster.EndpointList)
            {
                options.Endpoints.Add(endpoint);
            }
        });

    /// <summary>Reads the instances stored under a service straight from etcd, past SdKit.</summary>
    protected override async Task<string[]> StoredInstancesAsync(string service)
    {
        var output = await etcd.Cluster.Ctl.RunAsync("get", "--prefix", $"/services/{service}/", "--print-value-only");
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal)];
    }
}
