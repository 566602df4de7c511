using SdKit.Testing.ZooKeeper;
using static SdKit.ZooKeeper.Client.Tests.TestClients;

namespace SdKit.ZooKeeper.Client.Tests;

[Collection(StandaloneCollection.Name)]
public sealed class ZooKeeperClientMultiTests(ZooKeeperServerFixture fixture)
{
    [Fact]
    public async Task MultiAsync_AllSucceed_ReturnsResultPerOp()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);
        var root = await CreateTestRootAsync(client);
        await client.CreateAsync(root + "/old", Bytes("o"));

        var results = await client.MultiAsync(
        [
            MultiOp.Check(root, 0),
            MultiOp.Create(root + "/new", Bytes("n")),
            MultiOp.SetData(root, Bytes("v1"), 0),
            MultiOp.Delete(root + "/old"),
        ]);

        Assert.Equal(4, results.Count);
        Assert.IsType<CheckOpResult>(results[0]);
        Assert.Equal(root + "/new", Assert.IsType<CreateOpResult>(results[1]).Path);
        Assert.Equal(1, Assert.IsType<SetDataOpResult>(results[2]).Stat.Version);
        Assert.IsType<DeleteOpResult>(results[3]);
        Assert.Null(await client.ExistsAsync(root + "/old"));
        Assert.Equal("v1", Text((await client.GetDataAsync(root)).Data));
    }

    [Fact]
    public async Task MultiAsync_OneOpFails_ThrowsNamingOpAndAppliesNothing()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);
        var root = await CreateTestRootAsync(client);

        var error = await Assert.ThrowsAsync<MultiOperationException>(() => client.MultiAsync(
        [
            MultiOp.Create(root + "/a", Bytes("a")),
            MultiOp.Check(root, 5),
            MultiOp.Create(root + "/b", Bytes("b")),
        ]));

        Assert.Equal(1, error.FailedIndex);
        Assert.Equal(ZooKeeperErrorCode.BadVersion, error.Code);
        Assert.Equal(root, error.Path);
        Assert.IsType<BadVersionException>(error.InnerException);
        Assert.Contains($"op #1 (check '{root}')", error.Message, StringComparison.Ordinal);
        Assert.Equal([new ErrorOpResult(ZooKeeperErrorCode.Ok), new ErrorOpResult(ZooKeeperErrorCode.BadVersion), new ErrorOpResult(ZooKeeperErrorCode.RuntimeInconsistency)], error.Results);
        Assert.Null(await client.ExistsAsync(root + "/a"));
    }

    [Fact]
    public async Task MultiReadAsync_DataChildrenAndMissing_ResultPerReadInOrder()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);
        var root = await CreateTestRootAsync(client);
        await client.CreateAsync(root + "/a", Bytes("alpha"));
        await client.CreateAsync(root + "/b", ReadOnlyMemory<byte>.Empty);

        var results = await client.MultiReadAsync(
        [
            ReadOp.GetData(root + "/a"),
            ReadOp.GetData(root + "/missing"),
            ReadOp.GetChildren(root),
            ReadOp.GetData(root + "/b"),
            ReadOp.GetChildren(root + "/missing"),
        ]);

        Assert.Equal(5, results.Count);
        var a = Assert.IsType<GetDataOpResult>(results[0]).Node;
        Assert.Equal("alpha", Text(a.Data));
        Assert.Equal(5, a.Stat.DataLength);
        Assert.Equal(new ErrorOpResult(ZooKeeperErrorCode.NoNode), results[1]);
        Assert.Equal(["a", "b"], Assert.IsType<GetChildrenOpResult>(results[2]).Children.Order(StringComparer.Ordinal));
        Assert.True(Assert.IsType<GetDataOpResult>(results[3]).Node.Data.IsEmpty);
        Assert.Equal(new ErrorOpResult(ZooKeeperErrorCode.NoNode), results[4]);
    }

    [Fact]
    public async Task MultiReadAsync_GetDataAsText_DecodesTheDataWithItsStat()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);
        var root = await CreateTestRootAsync(client);
        await client.CreateAsync(root + "/a", Bytes("{\"zone\":\"z\u00e9\"}"));
        await client.CreateAsync(root + "/b", ReadOnlyMemory<byte>.Empty);

        var results = await client.MultiReadAsync(
        [
            ReadOp.GetDataAsText(root + "/a"),
            ReadOp.GetData(root + "/a"),
            ReadOp.GetDataAsText(root + "/b"),
            ReadOp.GetDataAsText(root + "/missing"),
        ]);

        var a = Assert.IsType<GetDataTextOpResult>(results[0]);
        Assert.Equal("{\"zone\":\"z\u00e9\"}", a.Text);
        var bytes = Assert.IsType<GetDataOpResult>(results[1]).Node;
        Assert.Equal(bytes.Stat, a.Stat);
        Assert.Equal(bytes.Data.Length, a.Stat.DataLength);
        Assert.Equal(new GetDataTextOpResult(string.Empty, Assert.IsType<GetDataTextOpResult>(results[2]).Stat), results[2]);
        Assert.Equal(new ErrorOpResult(ZooKeeperErrorCode.NoNode), results[3]);
    }

    [Fact]
    public async Task MultiReadAsync_UnderChroot_ReadsRelativePaths()
    {
        await using var rootClient = await ConnectAsync(fixture.ConnectString);
        var chroot = await CreateTestRootAsync(rootClient);
        await rootClient.CreateAsync(chroot + "/svc", Bytes("s"));
        await using var client = await ConnectAsync(fixture.ConnectString + chroot);

        var results = await client.MultiReadAsync([ReadOp.GetData("/svc"), ReadOp.GetChildren("/")]);

        Assert.Equal("s", Text(Assert.IsType<GetDataOpResult>(results[0]).Node.Data));
        Assert.Equal(["svc"], Assert.IsType<GetChildrenOpResult>(results[1]).Children);
    }

    [Fact]
    public async Task MultiReadAsync_BadPath_ThrowsNamingItBeforeSending()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.MultiReadAsync([ReadOp.GetData("/ok"), ReadOp.GetData("no-slash")]));

        Assert.Contains("no-slash", error.Message, StringComparison.Ordinal);
        Assert.Empty(await client.MultiReadAsync([]));
    }

    [Fact]
    public async Task MultiAsync_Empty_ReturnsEmptyWithoutServer()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);

        Assert.Empty(await client.MultiAsync([]));
    }
}
