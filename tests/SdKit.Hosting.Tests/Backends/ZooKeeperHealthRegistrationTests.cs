using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using SdKit.Instances;
using SdKit.Instances.Codecs;
using SdKit.Testing.ZooKeeper;
using SdKit.ZooKeeper.Client;
using SdKit.ZooKeeper.Discovery;
using Xunit;

namespace SdKit.Hosting.Tests.Backends;

/// <summary>
/// Health-driven registration on a real standalone ZooKeeper, watched through a session of its own as another process
/// would: a host whose health check is switched off leaves (or is disabled in place) and comes back when it is switched
/// on. The interval is short and real; every wait is for a watch event.
/// </summary>
public sealed class ZooKeeperHealthRegistrationTests(ZooKeeperServerFixture zooKeeper) : IClassFixture<ZooKeeperServerFixture>
{
    [Fact]
    public async Task Unhealthy_CuratorFormat_IsDisabledInPlaceAndEnabledAgain()
    {
        const string Service = "zk-health-curator";
        var healthy = new HealthSwitch();
        using var host = Build(Service, healthy, new()
        {
            ["SdKit:ZooKeeper:InstanceFormat"] = "curator",
            ["SdKit:Registration:Instance"] = "127.0.0.1:8383",
            ["SdKit:Registration:Id"] = "host-1",
        });
        await using var watch = await WatchAsync(Service);
        var codec = new CuratorJsonCodec(Service);

        await host.StartAsync().WaitAsync(TestTimeouts.Start);
        await watch.Instancer.FirstAsync(e => e.Instances.Length == 1 && codec.Decode(e.Instances[0]).Instance!.Enabled).ToTask().WaitAsync(TestTimeouts.Event);
        healthy.On = false;
        var disabled = await watch.Instancer.FirstAsync(e => e.Instances.Length == 1 && !codec.Decode(e.Instances[0]).Instance!.Enabled).ToTask().WaitAsync(TestTimeouts.Event);
        healthy.On = true;
        var enabled = await watch.Instancer.FirstAsync(e => e.Instances.Length == 1 && codec.Decode(e.Instances[0]).Instance!.Enabled).ToTask().WaitAsync(TestTimeouts.Event);
        await host.StopAsync().WaitAsync(TestTimeouts.Start);
        await watch.Instancer.FirstAsync(e => e.Instances.IsEmpty).ToTask().WaitAsync(TestTimeouts.Event);

        Assert.Equal(("host-1", 8383), (codec.Decode(disabled.Instances[0]).Instance!.Id, codec.Decode(disabled.Instances[0]).Instance!.Port));
        Assert.Equal("host-1", codec.Decode(enabled.Instances[0]).Instance!.Id);
    }

    [Fact]
    public async Task Unhealthy_PlainFormat_IsDeregisteredAndRegisteredAgain()
    {
        const string Service = "zk-health-plain";
        var healthy = new HealthSwitch();
        using var host = Build(Service, healthy, new() { ["SdKit:Registration:Instance"] = "127.0.0.1:8384" });
        await using var watch = await WatchAsync(Service);

        await host.StartAsync().WaitAsync(TestTimeouts.Start);
        await watch.Instancer.FirstAsync(e => e.Instances.Contains("127.0.0.1:8384")).ToTask().WaitAsync(TestTimeouts.Event);
        healthy.On = false;
        await watch.Instancer.FirstAsync(e => e.Instances.IsEmpty).ToTask().WaitAsync(TestTimeouts.Event);
        healthy.On = true;
        var back = await watch.Instancer.FirstAsync(e => e.Instances.Length == 1).ToTask().WaitAsync(TestTimeouts.Event);
        await host.StopAsync().WaitAsync(TestTimeouts.Start);
        await watch.Instancer.FirstAsync(e => e.Instances.IsEmpty).ToTask().WaitAsync(TestTimeouts.Event);

        Assert.Equal(["127.0.0.1:8384"], back.Instances.ToArray());
    }

    private IHost Build(string service, HealthSwitch healthy, Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SdKit:ZooKeeper:ConnectString"] = zooKeeper.ConnectString,
            ["SdKit:Registration:Service"] = service,
            ["SdKit:Registration:Health:Enabled"] = "true",
            ["SdKit:Registration:Health:Interval"] = "00:00:00.050",
            ["SdKit:Registration:Health:FailuresBeforeOut"] = "2",
            ["SdKit:Registration:Health:SuccessesBeforeIn"] = "2",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSdKit().AddZooKeeper();
        builder.Services.AddHealthChecks()
            .AddCheck("switch", () => healthy.On ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("switched off"))
            .AddSdKit();
        return builder.Build();
    }

    private async Task<Watch> WatchAsync(string service)
    {
        var options = new ZooKeeperDiscoveryOptions { Connection = new ZooKeeperClientOptions { ConnectString = zooKeeper.ConnectString } };
        var client = await ZooKeeperDiscoveryClient.ConnectAsync(options).WaitAsync(TestTimeouts.Start);
        return new Watch(client, new Instancer(client, $"/services/{service}"));
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

    private sealed record Watch(ZooKeeperDiscoveryClient Client, Instancer Instancer) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Instancer.DisposeAsync();
            await Client.DisposeAsync();
        }
    }
}
