using SdKit.Testing.ZooKeeper;
using static SdKit.ZooKeeper.Tests.TestClients;

namespace SdKit.ZooKeeper.Tests;

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
    public async Task MultiAsync_Empty_ReturnsEmptyWithoutServer()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);

        Assert.Empty(await client.MultiAsync([]));
    }
}
