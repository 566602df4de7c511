using SdKit.Client;
using SdKit.Testing.ZooKeeper;
using SdKit.ZooKeeper.Discovery;
using SdKit.ZooKeeper.Tests.Discovery.Support;
using static SdKit.ZooKeeper.Client.Tests.TestClients;

namespace SdKit.ZooKeeper.Tests.Discovery;

/// <summary>Watching: no side effects, a deleted path that comes back, instances from data or names, many children.</summary>
[Collection(StandaloneCollection.Name)]
public sealed class WatchTests(ZooKeeperServerFixture fixture) : RawSessionTest(fixture)
{
    [Theory]
    [InlineData(ZooKeeperWatchMode.PersistentRecursive)]
    [InlineData(ZooKeeperWatchMode.Children)]
    public async Task WatchAsync_MissingPath_CreatesNothing(ZooKeeperWatchMode mode)
    {
        var path = DiscoveryClients.NewServicePath();
        await using var client = await DiscoveryClients.ConnectAsync(Fixture.ConnectString, o => o.WatchMode = mode);

        var snapshots = DiscoveryClients.Watch(client, path, TestEnd);
        await snapshots.WaitForAsync();
        Assert.Empty(await client.ListAsync(path));

        Assert.Null(await Raw.ExistsAsync(path[..path.LastIndexOf('/')]));
    }

    [Theory]
    [InlineData(ZooKeeperWatchMode.PersistentRecursive)]
    [InlineData(ZooKeeperWatchMode.Children)]
    public async Task WatchAsync_ServicePathDeletedAndRecreated_KeepsWatching(ZooKeeperWatchMode mode)
    {
        var path = DiscoveryClients.NewServicePath();
        var root = path[..path.LastIndexOf('/')];
        await Raw.CreateAsync(root, ReadOnlyMemory<byte>.Empty);
        await Raw.CreateAsync(path, ReadOnlyMemory<byte>.Empty);
        await Raw.CreateAsync(path + "/a", Bytes("a:1"));
        await using var client = await DiscoveryClients.ConnectAsync(Fixture.ConnectString, o => o.WatchMode = mode);
        var snapshots = DiscoveryClients.Watch(client, path, TestEnd);
        await snapshots.WaitForAsync("a:1");

        await Raw.DeleteAsync(path + "/a");
        await Raw.DeleteAsync(path);
        await snapshots.WaitForAsync();
        var mark = snapshots.Values.Count;
        await Raw.CreateAsync(path, ReadOnlyMemory<byte>.Empty);
        await Raw.CreateAsync(path + "/b", Bytes("b:2"));

        await snapshots.WaitForNextAsync(mark, s => s.SequenceEqual(["b:2"]), DiscoveryClients.Wait);
        Assert.Null(snapshots.Error);
    }

    [Theory]
    [InlineData(1, ZooKeeperWatchMode.PersistentRecursive)]
    [InlineData(2, ZooKeeperWatchMode.PersistentRecursive)]
    [InlineData(ZooKeeperDiscoveryOptions.DefaultReadBatchSize, ZooKeeperWatchMode.PersistentRecursive)]
    [InlineData(1, ZooKeeperWatchMode.Children)]
    [InlineData(ZooKeeperDiscoveryOptions.DefaultReadBatchSize, ZooKeeperWatchMode.Children)]
    public async Task WatchAsync_ChildrenWithAndWithoutData_YieldsDataOrName(int readBatchSize, ZooKeeperWatchMode mode)
    {
        var path = await CreateServicePathAsync();
        await Raw.CreateAsync(path + "/10.0.0.1:80", ReadOnlyMemory<byte>.Empty);
        await Raw.CreateAsync(path + "/node-x", Bytes("http://10.0.0.2:8080"));
        await Raw.CreateAsync(path + "/node-y", Bytes("http://10.0.0.3:8080"));
        await using var client = await DiscoveryClients.ConnectAsync(Fixture.ConnectString, o =>
        {
            o.ReadBatchSize = readBatchSize;
            o.WatchMode = mode;
        });

        var snapshots = DiscoveryClients.Watch(client, path, TestEnd);

        await snapshots.WaitForAsync("10.0.0.1:80", "http://10.0.0.2:8080", "http://10.0.0.3:8080");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(ZooKeeperDiscoveryOptions.DefaultReadBatchSize)]
    public async Task WatchAsync_ChildUnreadableByAcl_SkipsItAndListsTheOthers(int readBatchSize)
    {
        var path = await CreateServicePathAsync();
        await Raw.CreateAsync(path + "/open", Bytes("10.0.0.1:80"));
        await Raw.CreateAsync(path + "/secret", Bytes("10.0.0.9:80"), acl: [ZooKeeperAcl.Digest("owner", "pw", ZooKeeperPermissions.All)]);
        await Raw.CreateAsync(path + "/open2", Bytes("10.0.0.2:80"));
        await using var client = await DiscoveryClients.ConnectAsync(Fixture.ConnectString, o => o.ReadBatchSize = readBatchSize);

        var snapshots = DiscoveryClients.Watch(client, path, TestEnd);

        await snapshots.WaitForAsync("10.0.0.1:80", "10.0.0.2:80");
        Assert.Equal(["10.0.0.1:80", "10.0.0.2:80"], (await client.ListAsync(path)).Order(StringComparer.Ordinal));
        Assert.Null(snapshots.Error);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(ZooKeeperDiscoveryOptions.MaxReadBatchSize + 1)]
    public void Validate_ReadBatchSizeOutOfRange_ThrowsNamingIt(int readBatchSize)
    {
        var options = new ZooKeeperDiscoveryOptions { ReadBatchSize = readBatchSize };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Equal(nameof(ZooKeeperDiscoveryOptions.ReadBatchSize), error.ParamName);
        Assert.Contains(readBatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WatchAsync_SharedPathOneWatcherCancelled_OthersKeepReceiving()
    {
        var path = DiscoveryClients.NewServicePath();
        await using var writer = await DiscoveryClients.ConnectAsync(Fixture.ConnectString);
        await using var client = await DiscoveryClients.ConnectAsync(Fixture.ConnectString);
        await writer.RegisterAsync(new ServiceEntry(path, "a:1"));
        using var firstEnd = new CancellationTokenSource();
        var first = DiscoveryClients.Watch(client, path, firstEnd.Token);
        var second = DiscoveryClients.Watch(client, path, TestEnd);
        await first.WaitForAsync("a:1");
        await second.WaitForAsync("a:1");

        await firstEnd.CancelAsync();
        await first.Completed.WaitAsync(DiscoveryClients.Wait);
        await writer.RegisterAsync(new ServiceEntry(path, "b:2"));
        await second.WaitForAsync("a:1", "b:2");
        var late = DiscoveryClients.Watch(client, path, TestEnd);

        Assert.Equal(["a:1", "b:2"], await late.WaitForAsync(_ => true, DiscoveryClients.Wait));
        Assert.Null(second.Error);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(ZooKeeperDiscoveryOptions.DefaultReadBatchSize)]
    public async Task UpdateAsync_KnownChild_NotReadAgain(int readBatchSize)
    {
        var path = await CreateServicePathAsync();
        await Raw.CreateAsync(path + "/a", Bytes("a:1"));
        var reader = new InstanceDataReader(Raw, readBatchSize, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var nodes = new InstanceNodes(reader, path);
        await nodes.UpdateAsync(["a"], CancellationToken.None);
        await Raw.SetDataAsync(path + "/a", Bytes("a:changed"));
        await Raw.CreateAsync(path + "/b", Bytes("b:2"));

        await nodes.UpdateAsync(["a", "b"], CancellationToken.None);

        Assert.Equal(["a:1", "b:2"], nodes.Snapshot(["a", "b"]));
        await nodes.UpdateAsync(["b"], CancellationToken.None);
        Assert.Equal(["b:2"], nodes.Snapshot(["a", "b"]));
    }

    [Fact]
    public async Task WatchAsync_TenThousandInstances_FirstSnapshotHasAll()
    {
        const int count = 10_000;
        var path = await CreateServicePathAsync();
        await using var registrar = await ConnectAsync(Fixture.ConnectString);
        for (var batch = 0; batch < count; batch += 1000)
        {
            await Task.WhenAll(Enumerable.Range(batch, 1000).Select(i =>
                registrar.CreateAsync($"{path}/_c_{Guid.NewGuid():N}-", Bytes($"10.1.{i / 256}.{i % 256}:80"), CreateMode.EphemeralSequential)));
        }

        await using var client = await DiscoveryClients.ConnectAsync(Fixture.ConnectString);
        var snapshots = DiscoveryClients.Watch(client, path, TestEnd);

        var first = await snapshots.WaitForAsync(_ => true, DiscoveryClients.Wait);
        Assert.Equal(count, first.Length);
        Assert.Equal(count, first.Distinct(StringComparer.Ordinal).Count());
        await registrar.DisposeAsync();
        await snapshots.WaitForAsync();
    }
}
