using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using SdKit.Etcd;
using SdKit.Instances;
using SdKit.Instances.Codecs;
using SdKit.Testing.Etcd;
using Xunit;

namespace SdKit.Hosting.Tests.Backends;

/// <summary>
/// Health-driven registration on a real single-member etcd, watched through an etcd client of its own as another
/// process would: a host whose health check is switched off leaves (or is disabled in place) and comes back when it is
/// switched on; the entry's key is read with <c>etcdctl</c> as well. The interval is short and real; every wait is for
/// a watch event.
/// </summary>
public sealed class EtcdHealthRegistrationTests(EtcdSingleMemberFixture etcd) : IClassFixture<EtcdSingleMemberFixture>
{
    [Fact]
    public async Task Unhealthy_PlainFormat_IsDeregisteredAndRegisteredAgain()
    {
        const string Service = "etcd-health-plain";
        var healthy = new HealthSwitch();
        using var host = Build(Service, healthy, new() { ["SdKit:Registration:Instance"] = "127.0.0.1:8484" });
        await using var watch = await WatchAsync(Service);

        await host.StartAsync().WaitAsync(TestTimeouts.Start);
        await watch.Instancer.FirstAsync(e => e.Instances.Contains("127.0.0.1:8484")).ToTask().WaitAsync(TestTimeouts.Event);
        healthy.On = false;
        await watch.Instancer.FirstAsync(e => e.Instances.IsEmpty).ToTask().WaitAsync(TestTimeouts.Event);
        var storedWhileOut = await StoredAsync(Service);
        healthy.On = true;
        var back = await watch.Instancer.FirstAsync(e => e.Instances.Length == 1).ToTask().WaitAsync(TestTimeouts.Event);
        var storedWhenBack = await StoredAsync(Service);
        await host.StopAsync().WaitAsync(TestTimeouts.Start);
        await watch.Instancer.FirstAsync(e => e.Instances.IsEmpty).ToTask().WaitAsync(TestTimeouts.Event);

        Assert.Equal(["127.0.0.1:8484"], back.Instances.ToArray());
        Assert.Empty(storedWhileOut);
        Assert.Equal(["127.0.0.1:8484"], storedWhenBack);
    }

    [Fact]
    public async Task Unhealthy_SdKitJsonFormat_IsDisabledInPlaceAndEnabledAgain()
    {
        const string Service = "etcd-health-json";
        var healthy = new HealthSwitch();
        using var host = Build(Service, healthy, new()
        {
            ["SdKit:Etcd:InstanceFormat"] = "sdkit-json",
            ["SdKit:Registration:Instance"] = "http://127.0.0.1:8485",
            ["SdKit:Registration:Id"] = "etcd-host-1",
        });
        await using var watch = await WatchAsync(Service);
        var codec = SdKitJsonCodec.Instance;

        await host.StartAsync().WaitAsync(TestTimeouts.Start);
        var first = await watch.Instancer.FirstAsync(e => e.Instances.Length == 1 && codec.Decode(e.Instances[0]).Instance!.Enabled).ToTask().WaitAsync(TestTimeouts.Event);
        var keyBefore = await KeysAsync(Service);
        healthy.On = false;
        var disabled = await watch.Instancer.FirstAsync(e => e.Instances.Length == 1 && !codec.Decode(e.Instances[0]).Instance!.Enabled).ToTask().WaitAsync(TestTimeouts.Event);
        var keyWhileDisabled = await KeysAsync(Service);
        healthy.On = true;
        var enabled = await watch.Instancer.FirstAsync(e => e.Instances.Length == 1 && codec.Decode(e.Instances[0]).Instance!.Enabled).ToTask().WaitAsync(TestTimeouts.Event);
        await host.StopAsync().WaitAsync(TestTimeouts.Start);
        await watch.Instancer.FirstAsync(e => e.Instances.IsEmpty).ToTask().WaitAsync(TestTimeouts.Event);

        var instance = codec.Decode(disabled.Instances[0]).Instance!;
        Assert.Equal(("etcd-host-1", 8485), (instance.Id, instance.Port));
        Assert.Equal("etcd-host-1", codec.Decode(enabled.Instances[0]).Instance!.Id);
        Assert.Equal("etcd-host-1", codec.Decode(first.Instances[0]).Instance!.Id);
        Assert.Single(keyBefore);
        Assert.Equal(keyBefore, keyWhileDisabled); // updated in place under the same key, not re-registered
    }

    private IHost Build(string service, HealthSwitch healthy, Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SdKit:Etcd:Endpoints"] = etcd.Endpoints,
            ["SdKit:Registration:Service"] = service,
            ["SdKit:Registration:Health:Enabled"] = "true",
            ["SdKit:Registration:Health:Interval"] = "00:00:00.050",
            ["SdKit:Registration:Health:FailuresBeforeOut"] = "2",
            ["SdKit:Registration:Health:SuccessesBeforeIn"] = "2",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSdKit().AddEtcd();
        builder.Services.AddHealthChecks()
            .AddCheck("switch", () => healthy.On ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("switched off"))
            .AddSdKit();
        return builder.Build();
    }

    private async Task<Watch> WatchAsync(string service)
    {
        var options = new EtcdDiscoveryOptions();
        foreach (var endpoint in etcd.Cluster.EndpointList)
        {
            options.Endpoints.Add(endpoint);
        }

        var client = await EtcdDiscoveryClient.ConnectAsync(options).WaitAsync(TestTimeouts.Start);
        return new Watch(client, new Instancer(client, $"/services/{service}"));
    }

    /// <summary>Reads the values stored under a service straight from etcd, past SdKit.</summary>
    private async Task<string[]> StoredAsync(string service)
    {
        var output = await etcd.Cluster.Ctl.RunAsync("get", "--prefix", $"/services/{service}/", "--print-value-only");
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }

    /// <summary>Reads the keys stored under a service straight from etcd.</summary>
    private async Task<string[]> KeysAsync(string service)
    {
        var output = await etcd.Cluster.Ctl.RunAsync("get", "--prefix", $"/services/{service}/", "--keys-only");
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }

    private sealed class HealthSwitch
    {
        private volatile bool _on = true;

        public bool On
        {
            get => _on;
            set => _on = value;
        }
    }

    private sealed record Watch(EtcdDiscoveryClient Client, Instancer Instancer) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Instancer.DisposeAsync();
            await Client.DisposeAsync();
        }
    }
}
