using System.Text.RegularExpressions;
using SdKit.Client;
using SdKit.Testing.ZooKeeper;
using SdKit.ZooKeeper.Discovery;
using SdKit.ZooKeeper.Tests.Discovery.Support;
using static SdKit.ZooKeeper.Client.Tests.TestClients;

namespace SdKit.ZooKeeper.Tests.Discovery;

/// <summary>
/// SdKit writes exactly go-kit's and the seed's layouts, and reads them when they are built with raw session calls
/// (as go-kit's registrar and the seed's Go server do).
/// </summary>
[Collection(StandaloneCollection.Name)]
public sealed partial class LayoutInteropTests(ZooKeeperServerFixture fixture) : IAsyncLifetime
{
    private readonly CancellationTokenSource _testEnd = new();
    private ZooKeeperClient _raw = null!;
    private string _chroot = null!;

    public async Task InitializeAsync()
    {
        _raw = await ConnectAsync(fixture.ConnectString);
        _chroot = await CreateTestRootAsync(_raw);
    }

    public async Task DisposeAsync()
    {
        await _testEnd.CancelAsync();
        await _raw.DisposeAsync();
        _testEnd.Dispose();
    }

    [Fact]
    public async Task RegisterAsync_ProtectedLayout_WritesGoKitNode()
    {
        await using var client = await DiscoveryClients.ConnectAsync(fixture.ConnectString + _chroot);

        var handle = await client.RegisterAsync(new ServiceEntry("/services/svc", "127.0.0.1:8080"));

        Assert.Matches(GoKitNode(), handle.Key);
        Assert.EndsWith("-0000000000", handle.Key, StringComparison.Ordinal);
        var node = await _raw.GetDataAsync(_chroot + handle.Key);
        Assert.Equal("127.0.0.1:8080", Text(node.Data));
        Assert.Equal(client.ZooKeeper.SessionId, node.Stat.EphemeralOwner);
        Assert.Equal(client.ZooKeeper.SessionId, handle.Generation);
        Assert.Equal(ZooKeeperAcl.OpenUnsafe, (await _raw.GetAclAsync(_chroot + handle.Key)).Acl);
        foreach (var parent in new[] { "/services", "/services/svc" })
        {
            var stat = await _raw.ExistsAsync(_chroot + parent);
            Assert.True(stat is { IsEphemeral: false }, $"{parent} should be a persistent node.");
            Assert.Equal(ZooKeeperAcl.OpenUnsafe, (await _raw.GetAclAsync(_chroot + parent)).Acl);
        }
    }

    [Fact]
    public async Task WatchAsync_GoKitNodes_YieldsTheirData()
    {
        var service = _chroot + "/services/svc";
        await _raw.CreateAsync(_chroot + "/services", ReadOnlyMemory<byte>.Empty);
        await _raw.CreateAsync(service, ReadOnlyMemory<byte>.Empty);
        await _raw.CreateAsync($"{service}/_c_{Guid.NewGuid():N}-", Bytes("127.0.0.1:8080"), CreateMode.EphemeralSequential);
        await using var client = await DiscoveryClients.ConnectAsync(fixture.ConnectString + _chroot);
        var snapshots = DiscoveryClients.Watch(client, "/services/svc", _testEnd.Token);
        await snapshots.WaitForAsync("127.0.0.1:8080");

        await _raw.CreateAsync($"{service}/_c_{Guid.NewGuid():N}-", Bytes("127.0.0.1:8081"), CreateMode.EphemeralSequential);

        await snapshots.WaitForAsync("127.0.0.1:8080", "127.0.0.1:8081");
        Assert.Equal(["127.0.0.1:8080", "127.0.0.1:8081"], (await client.ListAsync("/services/svc")).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task RegisterAsync_NamedLayout_WritesSeedNode()
    {
        await using var client = await DiscoveryClients.ConnectAsync(fixture.ConnectString + _chroot, o => o.Layout = ZooKeeperNodeLayout.Named);

        var handle = await client.RegisterAsync(new ServiceEntry("/go_servers", "127.0.0.1:8897"));

        Assert.Equal("/go_servers/127.0.0.1:8897", handle.Key);
        var node = await _raw.GetDataAsync(_chroot + "/go_servers/127.0.0.1:8897");
        Assert.True(node.Data.IsEmpty);
        Assert.Equal(client.ZooKeeper.SessionId, node.Stat.EphemeralOwner);
        Assert.Equal(["127.0.0.1:8897"], (await _raw.GetChildrenAsync(_chroot + "/go_servers")).Children);
    }

    [Fact]
    public async Task WatchAsync_SeedNodes_YieldsTheirNames()
    {
        // The seed's Go server: Create("/go_servers", nil, 0, ...), then an ephemeral "/go_servers/" + host, no data.
        await using var goServer = await ConnectAsync(fixture.ConnectString + _chroot);
        await goServer.CreateAsync("/go_servers", ReadOnlyMemory<byte>.Empty);
        await goServer.CreateAsync("/go_servers/127.0.0.1:8897", ReadOnlyMemory<byte>.Empty, CreateMode.Ephemeral);
        await goServer.CreateAsync("/go_servers/127.0.0.1:8898", ReadOnlyMemory<byte>.Empty, CreateMode.Ephemeral);
        await using var client = await DiscoveryClients.ConnectAsync(fixture.ConnectString + _chroot);
        var snapshots = DiscoveryClients.Watch(client, "/go_servers", _testEnd.Token);
        await snapshots.WaitForAsync("127.0.0.1:8897", "127.0.0.1:8898");

        await goServer.CreateAsync("/go_servers/127.0.0.1:8899", ReadOnlyMemory<byte>.Empty, CreateMode.Ephemeral);
        await snapshots.WaitForAsync("127.0.0.1:8897", "127.0.0.1:8898", "127.0.0.1:8899");
        await goServer.DisposeAsync();

        await snapshots.WaitForAsync();
    }

    [Fact]
    public async Task WatchAsync_SdKitNamedRegistrations_SeenAsSeedChildren()
    {
        await using var client = await DiscoveryClients.ConnectAsync(fixture.ConnectString + _chroot, o => o.Layout = ZooKeeperNodeLayout.Named);
        await client.RegisterAsync(new ServiceEntry("/go_servers", "127.0.0.1:8897"));
        await client.RegisterAsync(new ServiceEntry("/go_servers", "127.0.0.1:8898"));

        // The seed's Go client: Children("/go_servers") are the servers.
        var children = await _raw.GetChildrenAsync(_chroot + "/go_servers");

        Assert.Equal(["127.0.0.1:8897", "127.0.0.1:8898"], children.Children.Order(StringComparer.Ordinal));
    }

    [GeneratedRegex(@"^/services/svc/_c_[0-9a-f]{32}-[0-9]{10}$")]
    private static partial Regex GoKitNode();
}
