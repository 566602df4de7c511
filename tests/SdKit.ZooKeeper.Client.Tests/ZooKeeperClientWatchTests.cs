using SdKit.Testing.ZooKeeper;
using static SdKit.ZooKeeper.Client.Tests.TestClients;

namespace SdKit.ZooKeeper.Client.Tests;

[Collection(StandaloneCollection.Name)]
public sealed class ZooKeeperClientWatchTests(ZooKeeperServerFixture fixture)
{
    [Fact]
    public async Task GetChildrenAndWatchAsync_ChildCreatedByOtherSession_FiresChildrenChanged()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);
        await using var other = await ConnectAsync(fixture.ConnectString);
        var root = await CreateTestRootAsync(client);

        var watched = await client.GetChildrenAndWatchAsync(root);
        Assert.Empty(watched.Value.Children);
        Assert.False(watched.Changed.IsCompleted);
        await other.CreateAsync(root + "/new", Bytes("x"));

        var fired = await watched.Changed.WaitAsync(Wait);
        Assert.Equal(new WatchedEvent(WatchedEventType.NodeChildrenChanged, root), fired);
    }

    [Fact]
    public async Task GetDataAndWatchAsync_OwnSetData_FiresDataChangedBeforeReply()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);
        var root = await CreateTestRootAsync(client);

        var watched = await client.GetDataAndWatchAsync(root);
        await client.SetDataAsync(root, Bytes("v2"));

        // The server sends the notification before the reply, and the read loop completes the watch as it reads it.
        Assert.True(watched.Changed.IsCompleted, "The watch had not fired when the setData reply arrived.");
        Assert.Equal(WatchedEventType.NodeDataChanged, (await watched.Changed.WaitAsync(Wait)).Type);
    }

    [Fact]
    public async Task AddDataWatchesAsync_AfterAMultiRead_ChangedSinceFiresAtOnceGoneFiresDeletedOthersOnTheirNextChange()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);
        await using var other = await ConnectAsync(fixture.ConnectString);
        var root = await CreateTestRootAsync(client);
        string[] paths = [root + "/same", root + "/changed", root + "/gone"];
        foreach (var path in paths)
        {
            await client.CreateAsync(path, Bytes("v1"));
        }

        var read = await client.MultiReadAsync(paths.Select(ReadOp.GetData));
        var relativeZxid = read.Max(r => Assert.IsType<GetDataOpResult>(r).Node.Stat.ModifiedZxid);

        // Between the read and the watches, as another session could: the watches must still report both.
        await other.SetDataAsync(root + "/changed", Bytes("v2"));
        await other.DeleteAsync(root + "/gone");
        var watches = await client.AddDataWatchesAsync(paths, relativeZxid);

        Assert.Equal(3, watches.Count);
        Assert.Equal(new WatchedEvent(WatchedEventType.NodeDataChanged, root + "/changed"), await watches[1].WaitAsync(Wait));
        Assert.Equal(new WatchedEvent(WatchedEventType.NodeDeleted, root + "/gone"), await watches[2].WaitAsync(Wait));
        Assert.False(watches[0].IsCompleted);
        await other.SetDataAsync(root + "/same", Bytes("v2"));
        Assert.Equal(new WatchedEvent(WatchedEventType.NodeDataChanged, root + "/same"), await watches[0].WaitAsync(Wait));
    }

    [Fact]
    public async Task ExistsAndWatchAsync_MissingNodeThenCreated_FiresNodeCreated()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);
        var root = await CreateTestRootAsync(client);

        var watched = await client.ExistsAndWatchAsync(root + "/later");
        Assert.Null(watched.Value);
        await client.CreateAsync(root + "/later", Bytes("x"));

        Assert.Equal(new WatchedEvent(WatchedEventType.NodeCreated, root + "/later"), await watched.Changed.WaitAsync(Wait));
    }

    [Fact]
    public async Task GetDataAndWatchAsync_TwoWatchersSameNode_BothFireOnce()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);
        var root = await CreateTestRootAsync(client);

        var first = await client.GetDataAndWatchAsync(root);
        var second = await client.GetDataAndWatchAsync(root);
        await client.DeleteAsync(root);

        Assert.Equal(WatchedEventType.NodeDeleted, (await first.Changed.WaitAsync(Wait)).Type);
        Assert.Equal(WatchedEventType.NodeDeleted, (await second.Changed.WaitAsync(Wait)).Type);
    }

    [Fact]
    public async Task GetDataAndWatchAsync_MissingNode_ThrowsNoNode()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);

        await Assert.ThrowsAsync<NoNodeException>(() => client.GetDataAndWatchAsync($"/missing-{Guid.NewGuid():N}"));
    }

    [Fact]
    public async Task StateChanges_Subscribe_ReplaysConnectedThenClosed()
    {
        var client = await ConnectAsync(fixture.ConnectString);
        var states = new List<ZooKeeperSessionState>();
        var completed = new TaskCompletionSource();
        using var subscription = client.StateChanges.Subscribe(s => { lock (states) { states.Add(s); } }, () => completed.TrySetResult());

        await client.DisposeAsync();
        await completed.Task.WaitAsync(Wait);

        Assert.Equal([ZooKeeperSessionState.Connected, ZooKeeperSessionState.Closed], states);
    }

    [Fact]
    public async Task Watch_ClientDisposed_FaultsWithClientClosed()
    {
        var client = await ConnectAsync(fixture.ConnectString);
        var root = await CreateTestRootAsync(client);
        var watched = await client.GetDataAndWatchAsync(root);

        await client.DisposeAsync();

        await Assert.ThrowsAsync<ClientClosedException>(() => watched.Changed.WaitAsync(Wait));
    }

    [Fact]
    public async Task ExistsAndWatchAsync_ExistingNodeDeleted_FiresNodeDeleted()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);
        var root = await CreateTestRootAsync(client);

        var watched = await client.ExistsAndWatchAsync(root);
        await client.DeleteAsync(root);

        Assert.Equal(0, watched.Value?.Version);
        Assert.Equal(new WatchedEvent(WatchedEventType.NodeDeleted, root), await watched.Changed.WaitAsync(Wait));
    }

    [Fact]
    public async Task GetAclAsync_MissingNode_ThrowsNoNodeNamingPath()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);
        var path = $"/missing-{Guid.NewGuid():N}";

        var error = await Assert.ThrowsAsync<NoNodeException>(() => client.GetAclAsync(path));

        Assert.Equal(path, error.Path);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }
}
