using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SdKit.Instances;
using SdKit.Testing.ZooKeeper;
using SdKit.ZooKeeper.Client;
using SdKit.ZooKeeper.Discovery;
using Xunit;

namespace SdKit.Hosting.Tests.Backends;

/// <summary>Hosts on a real standalone ZooKeeper started on loopback (one for the class).</summary>
public sealed class ZooKeeperHostingTests(ZooKeeperServerFixture zooKeeper) : HostingScenario, IClassFixture<ZooKeeperServerFixture>
{
    protected override string Name => "zk";

    [Fact]
    public async Task Host_ZooKeeperWhollyFromConfiguration_RegistersWithTheConfiguredDigestOwnerAndLayout()
    {
        const string Service = "zk-configured";
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SdKit:ZooKeeper:ConnectString"] = zooKeeper.ConnectString,
            ["SdKit:ZooKeeper:SessionTimeout"] = "00:00:06",
            ["SdKit:ZooKeeper:Layout"] = "Named",
            ["SdKit:ZooKeeper:Digest:User"] = "configured",
            ["SdKit:ZooKeeper:Digest:Password"] = "secret",
            ["SdKit:ZooKeeper:Digest:OwnNodes"] = "true",
            ["SdKit:Registration:Service"] = Service,
            ["SdKit:Registration:Instance"] = "127.0.0.1:8181",
        });
        builder.Services.AddSdKit().AddZooKeeper();
        using var host = builder.Build();
        // The owner reads the ACL (the server shows a digest's hash only to a session that holds it); a stranger tries to delete.
        var ownerOptions = new ZooKeeperClientOptions { ConnectString = zooKeeper.ConnectString };
        ownerOptions.Authentication.Add(ZooKeeperAuthInfo.Digest("configured", "secret"));
        await using var reader = await ZooKeeperClient.ConnectAsync(ownerOptions).WaitAsync(TestTimeouts.Start);
        await using var stranger = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectString = zooKeeper.ConnectString }).WaitAsync(TestTimeouts.Start);

        await host.StartAsync().WaitAsync(TestTimeouts.Start);
        var instancer = host.Services.GetRequiredKeyedService<IInstancer>(Service);
        await instancer.FirstAsync(e => e.Instances.Length == 1).ToTask().WaitAsync(TestTimeouts.Event);
        var children = await reader.GetChildrenAsync($"/services/{Service}").WaitAsync(TestTimeouts.Event);
        var node = Assert.Single(children.Children);
        var acl = await reader.GetAclAsync($"/services/{Service}/{node}").WaitAsync(TestTimeouts.Event);
        var parentAcl = await reader.GetAclAsync($"/services/{Service}").WaitAsync(TestTimeouts.Event);
        var deniedDelete = await Assert.ThrowsAsync<NoAuthException>(() => stranger.DeleteAsync($"/services/{Service}/{node}").WaitAsync(TestTimeouts.Event));
        await host.StopAsync().WaitAsync(TestTimeouts.Start);

        ZooKeeperAcl[] owner = [new(ZooKeeperPermissions.Read, "world", "anyone"), ZooKeeperAcl.Digest("configured", "secret", ZooKeeperPermissions.All)];
        Assert.Equal("127.0.0.1:8181", node);                        // the Named layout: the node is the instance
        Assert.Equal(owner, acl.Acl);
        Assert.Equal(owner, parentAcl.Acl);
        Assert.Equal(ZooKeeperErrorCode.NoAuth, deniedDelete.Code);  // a session without the digest cannot remove it
    }

    [Fact]
    public async Task Host_CuratorFormatFromConfiguration_RegistersCuratorsNodeNamedByTheId()
    {
        const string Service = "zk-curator";
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SdKit:ZooKeeper:ConnectString"] = zooKeeper.ConnectString,
            ["SdKit:ZooKeeper:InstanceFormat"] = "curator",
            ["SdKit:Registration:Service"] = Service,
            ["SdKit:Registration:Instance"] = "127.0.0.1:8282",
            ["SdKit:Registration:Id"] = "host-1",
            ["SdKit:Registration:Metadata:version"] = "2",
        });
        builder.Services.AddSdKit().AddZooKeeper();
        using var host = builder.Build();
        await using var reader = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectString = zooKeeper.ConnectString }).WaitAsync(TestTimeouts.Start);

        await host.StartAsync().WaitAsync(TestTimeouts.Start);
        var instancer = host.Services.GetRequiredKeyedService<IInstancer>(Service);
        await instancer.FirstAsync(e => e.Instances.Length == 1).ToTask().WaitAsync(TestTimeouts.Event);
        var node = await reader.GetDataAsync($"/services/{Service}/host-1").WaitAsync(TestTimeouts.Event);
        await host.StopAsync().WaitAsync(TestTimeouts.Start);

        Assert.True(node.Stat.IsEphemeral);
        var instance = new SdKit.Instances.Codecs.CuratorJsonCodec(Service).Decode(System.Text.Encoding.UTF8.GetString(node.Data.Span)).Instance!;
        Assert.Equal(("host-1", "127.0.0.1", 8282), (instance.Id, instance.Host, instance.Port));
        Assert.Equal("2", instance.Metadata["version"]);
    }

    protected override ISdKitBuilder Backend(ISdKitBuilder sdkit)
        => sdkit.AddZooKeeper(options => options.Connection.ConnectString = zooKeeper.ConnectString);

    /// <summary>Reads the instances through a session of its own, as another process would, not through the hosts.</summary>
    protected override async Task<string[]> StoredInstancesAsync(string service)
    {
        var options = new ZooKeeperDiscoveryOptions { Connection = new ZooKeeperClientOptions { ConnectString = zooKeeper.ConnectString } };
        await using var reader = await ZooKeeperDiscoveryClient.ConnectAsync(options).WaitAsync(TestTimeouts.Start);
        var instances = await reader.ListAsync($"/services/{service}").AsTask().WaitAsync(TestTimeouts.Event);
        return [.. instances.Order(StringComparer.Ordinal)];
    }
}
