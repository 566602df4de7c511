using SdKit.Testing.ZooKeeper;
using static SdKit.ZooKeeper.Client.Tests.TestClients;

namespace SdKit.ZooKeeper.Client.Tests;

[Collection(StandaloneCollection.Name)]
public sealed class ZooKeeperClientSpecialNodeTests(ZooKeeperServerFixture fixture)
{
    [Fact]
    public async Task CreateAsync_PersistentWithTtl_ServerDeletesAfterTtl()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);
        var root = await CreateTestRootAsync(client);

        var created = await client.CreateAsync(root + "/ttl", Bytes("t"), CreateMode.PersistentWithTtl, ttl: TimeSpan.FromMilliseconds(200));
        var gone = await client.ExistsAndWatchAsync(root + "/ttl");

        Assert.Equal(0, created.Stat.EphemeralOwner);
        Assert.NotNull(gone.Value);
        Assert.Equal(WatchedEventType.NodeDeleted, (await gone.Changed.WaitAsync(Wait)).Type);
    }

    [Fact]
    public async Task CreateAsync_PersistentSequentialWithTtl_AppendsSuffix()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);
        var root = await CreateTestRootAsync(client);

        var created = await client.CreateAsync(root + "/s-", Bytes("t"), CreateMode.PersistentSequentialWithTtl, ttl: TimeSpan.FromMinutes(5));

        Assert.Equal(root + "/s-0000000000", created.Path);
    }

    [Fact]
    public async Task CreateAsync_Container_ServerDeletesWhenLastChildGoes()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);
        var root = await CreateTestRootAsync(client);
        // Container and child in one multi: the fixture's server removes a never-used empty container after 300 ms,
        // and two separate creates on a loaded machine can be further apart than that.
        await client.MultiAsync([MultiOp.Create(root + "/box", Bytes("c"), CreateMode.Container), MultiOp.Create(root + "/box/item", Bytes("i"))]);
        var gone = await client.ExistsAndWatchAsync(root + "/box");

        await client.DeleteAsync(root + "/box/item");

        Assert.Equal(WatchedEventType.NodeDeleted, (await gone.Changed.WaitAsync(Wait)).Type);
    }

    [Fact]
    public async Task CreateAsync_ChildOfEphemeral_ThrowsNoChildrenForEphemerals()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);
        var root = await CreateTestRootAsync(client);
        await client.CreateAsync(root + "/eph", Bytes("e"), CreateMode.Ephemeral);

        await Assert.ThrowsAsync<NoChildrenForEphemeralsException>(() => client.CreateAsync(root + "/eph/child", Bytes("c")));
    }

    [Fact]
    public async Task GetEphemeralsAsync_TwoSessions_ListsOnlyOwn()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);
        await using var other = await ConnectAsync(fixture.ConnectString);
        var root = await CreateTestRootAsync(client);
        await client.CreateAsync(root + "/mine", Bytes("m"), CreateMode.Ephemeral);
        await other.CreateAsync(root + "/theirs", Bytes("t"), CreateMode.Ephemeral);

        Assert.Equal([root + "/mine"], await client.GetEphemeralsAsync(root));
    }

    [Fact]
    public async Task GetAllChildrenNumberAsync_Tree_CountsDescendants()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);
        var root = await CreateTestRootAsync(client);
        await client.CreateAsync(root + "/a", Bytes("a"));
        await client.CreateAsync(root + "/a/b", Bytes("b"));
        await client.CreateAsync(root + "/c", Bytes("c"));

        Assert.Equal(3, await client.GetAllChildrenNumberAsync(root));
    }

    [Fact]
    public async Task FourLetterWords_RunningServer_AnswerRuokSrvrAndMntr()
    {
        Assert.True(await ZooKeeperFourLetterWords.IsOkAsync(fixture.ConnectString));
        Assert.Equal("standalone", (await ZooKeeperFourLetterWords.ServerStatsAsync(fixture.ConnectString))["Mode"]);
        Assert.StartsWith("3.", (await ZooKeeperFourLetterWords.MonitorAsync(fixture.ConnectString))["zk_version"], StringComparison.Ordinal);
        Assert.False(await ZooKeeperFourLetterWords.IsOkAsync($"127.0.0.1:{SdKit.Testing.Network.FreePort.Next()}"));
    }
}
