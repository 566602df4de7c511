using SdKit.Testing.ZooKeeper;
using static SdKit.ZooKeeper.Client.Tests.TestClients;

namespace SdKit.ZooKeeper.Client.Tests;

[Collection(StandaloneCollection.Name)]
public sealed class ZooKeeperClientChrootTests(ZooKeeperServerFixture fixture)
{
    [Fact]
    public async Task Operations_UnderChroot_MapPathsBothWays()
    {
        await using var rootClient = await ConnectAsync(fixture.ConnectString);
        var chroot = await CreateTestRootAsync(rootClient);
        await using var client = await ConnectAsync(fixture.ConnectString + chroot);

        var created = await client.CreateAsync("/svc", Bytes("s"));
        var sequential = await client.CreateAsync("/svc/m-", Bytes("m"), CreateMode.EphemeralSequential);
        var watch = await client.GetChildrenAndWatchAsync("/svc");
        var rootChildren = await client.GetChildrenAsync("/");
        await rootClient.CreateAsync(chroot + "/svc/other", Bytes("o"));

        Assert.Equal("/svc", created.Path);
        Assert.Equal("/svc/m-0000000000", sequential.Path);
        Assert.Equal(["svc"], rootChildren.Children);
        Assert.Equal("s", Text((await rootClient.GetDataAsync(chroot + "/svc")).Data));
        Assert.Equal(new WatchedEvent(WatchedEventType.NodeChildrenChanged, "/svc"), await watch.Changed.WaitAsync(Wait));
        Assert.Equal(["/svc/m-0000000000"], await client.GetEphemeralsAsync("/"));
        var multi = await client.MultiAsync([MultiOp.Create("/svc/x", Bytes("x"))]);
        Assert.Equal("/svc/x", Assert.IsType<CreateOpResult>(multi[0]).Path);
    }

    [Fact]
    public async Task ExistsAndWatchAsync_ChrootNodeItself_EventPathIsRoot()
    {
        await using var rootClient = await ConnectAsync(fixture.ConnectString);
        var chroot = await CreateTestRootAsync(rootClient);
        await using var client = await ConnectAsync(fixture.ConnectString + chroot);

        var watched = await client.ExistsAndWatchAsync("/");
        await rootClient.SetDataAsync(chroot, Bytes("changed"));

        Assert.NotNull(watched.Value);
        Assert.Equal(new WatchedEvent(WatchedEventType.NodeDataChanged, "/"), await watched.Changed.WaitAsync(Wait));
    }
}
