using SdKit.Testing.ZooKeeper;
using static SdKit.ZooKeeper.Client.Tests.TestClients;

namespace SdKit.ZooKeeper.Client.Tests;

[Collection(StandaloneCollection.Name)]
public sealed class ZooKeeperClientNodeTests(ZooKeeperServerFixture fixture)
{
    [Fact]
    public async Task ConnectAsync_RunningServer_ReportsConnectedWithSession()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);

        Assert.Equal(ZooKeeperSessionState.Connected, client.State);
        Assert.NotEqual(0, client.SessionId);
        Assert.Equal(TimeSpan.FromSeconds(4), client.SessionTimeout);
        Assert.Equal(fixture.ConnectString, client.ConnectedServer);
    }

    [Fact]
    public async Task CreateAsync_Persistent_ReturnsPathAndStat()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);
        var root = await CreateTestRootAsync(client);

        var created = await client.CreateAsync(root + "/node", Bytes("hello"));

        Assert.Equal(root + "/node", created.Path);
        Assert.Equal(5, created.Stat.DataLength);
        Assert.Equal(0, created.Stat.Version);
        Assert.False(created.Stat.IsEphemeral);
    }

    [Fact]
    public async Task CreateAsync_EphemeralSequential_AppendsTenDigitsAndOwnsNode()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);
        var root = await CreateTestRootAsync(client);

        var first = await client.CreateAsync(root + "/member-", Bytes("a"), CreateMode.EphemeralSequential);
        var second = await client.CreateAsync(root + "/member-", Bytes("b"), CreateMode.EphemeralSequential);

        Assert.Equal(root + "/member-0000000000", first.Path);
        Assert.Equal(root + "/member-0000000001", second.Path);
        Assert.Equal(client.SessionId, first.Stat.EphemeralOwner);
    }

    [Fact]
    public async Task CreateAsync_ExistingNode_ThrowsNodeExistsNamingPath()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);
        var root = await CreateTestRootAsync(client);

        var error = await Assert.ThrowsAsync<NodeExistsException>(() => client.CreateAsync(root, Bytes("x")));

        Assert.Equal(ZooKeeperErrorCode.NodeExists, error.Code);
        Assert.Equal(root, error.Path);
        Assert.Contains(root, error.Message, StringComparison.Ordinal);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task CreateAsync_MissingParent_ThrowsNoNode()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);

        var error = await Assert.ThrowsAsync<NoNodeException>(() => client.CreateAsync($"/missing-{Guid.NewGuid():N}/child", Bytes("x")));

        Assert.Equal(ZooKeeperErrorCode.NoNode, error.Code);
    }

    [Fact]
    public async Task GetDataAsync_AfterSetData_ReturnsNewDataAndVersion()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);
        var root = await CreateTestRootAsync(client);

        var stat = await client.SetDataAsync(root, Bytes("changed"), version: 0);
        var data = await client.GetDataAsync(root);

        Assert.Equal(1, stat.Version);
        Assert.Equal("changed", Text(data.Data));
        Assert.Equal(stat, data.Stat);
    }

    [Fact]
    public async Task SetDataAsync_WrongVersion_ThrowsBadVersion()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);
        var root = await CreateTestRootAsync(client);

        var error = await Assert.ThrowsAsync<BadVersionException>(() => client.SetDataAsync(root, Bytes("x"), version: 7));

        Assert.Equal(root, error.Path);
    }

    [Fact]
    public async Task ExistsAsync_MissingAndPresent_ReturnsNullThenStat()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);
        var root = await CreateTestRootAsync(client);

        Assert.Null(await client.ExistsAsync(root + "/nope"));
        var stat = await client.ExistsAsync(root);
        Assert.NotNull(stat);
        Assert.Equal(0, stat.Value.ChildCount);
    }

    [Fact]
    public async Task GetChildrenAsync_ThreeChildren_ReturnsNamesAndParentStat()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);
        var root = await CreateTestRootAsync(client);
        foreach (var name in new[] { "a", "b", "c" })
        {
            await client.CreateAsync($"{root}/{name}", Bytes(name));
        }

        var children = await client.GetChildrenAsync(root);

        Assert.Equal(["a", "b", "c"], children.Children.Order(StringComparer.Ordinal));
        Assert.Equal(3, children.Stat.ChildCount);
    }

    [Fact]
    public async Task DeleteAsync_NodeWithChildren_ThrowsNotEmpty()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);
        var root = await CreateTestRootAsync(client);
        await client.CreateAsync(root + "/child", Bytes("x"));

        await Assert.ThrowsAsync<NotEmptyException>(() => client.DeleteAsync(root));
    }

    [Fact]
    public async Task DeleteAsync_RightVersion_RemovesNode()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);
        var root = await CreateTestRootAsync(client);

        await client.DeleteAsync(root, version: 0);

        Assert.Null(await client.ExistsAsync(root));
        await Assert.ThrowsAsync<NoNodeException>(() => client.DeleteAsync(root));
    }

    [Fact]
    public async Task DisposeAsync_WithEphemeral_ServerDeletesIt()
    {
        await using var observer = await ConnectAsync(fixture.ConnectString);
        var root = await CreateTestRootAsync(observer);
        var client = await ConnectAsync(fixture.ConnectString);
        await client.CreateAsync(root + "/eph", Bytes("x"), CreateMode.Ephemeral);

        await client.DisposeAsync();

        Assert.Null(await observer.ExistsAsync(root + "/eph"));
        Assert.Equal(ZooKeeperSessionState.Closed, client.State);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.GetDataAsync(root));
    }
}
