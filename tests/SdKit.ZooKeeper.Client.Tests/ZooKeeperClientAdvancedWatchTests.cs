using SdKit.Testing.ZooKeeper;
using static SdKit.ZooKeeper.Client.Tests.TestClients;

namespace SdKit.ZooKeeper.Client.Tests;

[Collection(StandaloneCollection.Name)]
public sealed class ZooKeeperClientAdvancedWatchTests(ZooKeeperServerFixture fixture)
{
    [Fact]
    public async Task AddWatchAsync_Persistent_FiresForEveryChangeOfPath()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);
        var root = await CreateTestRootAsync(client);
        await using var watch = await client.AddWatchAsync(root, AddWatchMode.Persistent);

        await client.SetDataAsync(root, Bytes("1"));
        await client.SetDataAsync(root, Bytes("2"));
        await client.CreateAsync(root + "/c", Bytes("c"));
        await client.SetDataAsync(root + "/c", Bytes("ignored: not the exact path"));
        await client.DeleteAsync(root + "/c");

        Assert.Equal(
            [
                new(WatchedEventType.NodeDataChanged, root),
                new(WatchedEventType.NodeDataChanged, root),
                new(WatchedEventType.NodeChildrenChanged, root),
                new WatchedEvent(WatchedEventType.NodeChildrenChanged, root),
            ],
            await ReadAsync(watch, 4));
    }

    [Fact]
    public async Task AddWatchAsync_PersistentRecursive_FiresForDescendantsButNotChildLists()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);
        var root = await CreateTestRootAsync(client);
        await using var watch = await client.AddWatchAsync(root, AddWatchMode.PersistentRecursive);

        await client.CreateAsync(root + "/a", Bytes("a"));
        await client.CreateAsync(root + "/a/b", Bytes("b"));
        await client.SetDataAsync(root + "/a/b", Bytes("b2"));
        await client.DeleteAsync(root + "/a/b");

        Assert.Equal(
            [
                new(WatchedEventType.NodeCreated, root + "/a"),
                new(WatchedEventType.NodeCreated, root + "/a/b"),
                new(WatchedEventType.NodeDataChanged, root + "/a/b"),
                new WatchedEvent(WatchedEventType.NodeDeleted, root + "/a/b"),
            ],
            await ReadAsync(watch, 4));
    }

    [Fact]
    public async Task PersistentWatch_Disposed_EventsCompleteAndServerWatchRemoved()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);
        var root = await CreateTestRootAsync(client);
        var watch = await client.AddWatchAsync(root, AddWatchMode.Persistent);

        await watch.DisposeAsync();

        await watch.Events.Completion.WaitAsync(Wait);
        await Assert.ThrowsAsync<NoWatcherException>(() => client.RemoveWatchesAsync(root, WatcherType.Any));
    }

    [Fact]
    public async Task RemoveWatchesAsync_DataWatch_CompletesWatchWithRemovedEvent()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);
        var root = await CreateTestRootAsync(client);
        var dataWatch = await client.GetDataAndWatchAsync(root);
        var childWatch = await client.GetChildrenAndWatchAsync(root);

        await client.RemoveWatchesAsync(root, WatcherType.Data);

        Assert.Equal(new WatchedEvent(WatchedEventType.DataWatchRemoved, root), await dataWatch.Changed.WaitAsync(Wait));
        Assert.False(childWatch.Changed.IsCompleted);
        await client.CreateAsync(root + "/c", Bytes("c"));
        Assert.Equal(WatchedEventType.NodeChildrenChanged, (await childWatch.Changed.WaitAsync(Wait)).Type);
    }

    [Fact]
    public async Task RemoveWatchesAsync_NoWatch_ThrowsNoWatcher()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);
        var root = await CreateTestRootAsync(client);

        var error = await Assert.ThrowsAsync<NoWatcherException>(() => client.RemoveWatchesAsync(root, WatcherType.Children));
        Assert.Equal(root, error.Path);
    }

    private static async Task<List<WatchedEvent>> ReadAsync(PersistentWatch watch, int count)
    {
        var events = new List<WatchedEvent>();
        while (events.Count < count)
        {
            events.Add(await watch.Events.ReadAsync().AsTask().WaitAsync(Wait));
        }

        Assert.False(watch.Events.TryRead(out var extra), $"Unexpected extra event {extra}");
        return events;
    }
}
