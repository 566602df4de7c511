using SdKit.Testing.ZooKeeper;
using static SdKit.ZooKeeper.Client.Tests.TestClients;

namespace SdKit.ZooKeeper.Client.Tests;

[Collection(StandaloneCollection.Name)]
public sealed class ZooKeeperClientInputTests(ZooKeeperServerFixture fixture)
{
    [Theory]
    [InlineData("relative")]
    [InlineData("/trailing/")]
    [InlineData("/a//b")]
    [InlineData("/a/./b")]
    [InlineData("/bad\u0001char")]
    public async Task Operations_InvalidPath_ThrowArgumentExceptionNamingPath(string path)
    {
        await using var client = await ConnectAsync(fixture.ConnectString);

        var errors = new List<ArgumentException>
        {
            await Assert.ThrowsAsync<ArgumentException>(() => client.CreateAsync(path, Bytes("x"))),
            await Assert.ThrowsAsync<ArgumentException>(() => client.GetDataAsync(path)),
            await Assert.ThrowsAsync<ArgumentException>(() => client.SetDataAsync(path, Bytes("x"))),
            await Assert.ThrowsAsync<ArgumentException>(() => client.DeleteAsync(path)),
            await Assert.ThrowsAsync<ArgumentException>(() => client.ExistsAsync(path)),
            await Assert.ThrowsAsync<ArgumentException>(() => client.GetChildrenAndWatchAsync(path)),
            await Assert.ThrowsAsync<ArgumentException>(() => client.AddWatchAsync(path, AddWatchMode.Persistent)),
            await Assert.ThrowsAsync<ArgumentException>(() => client.MultiAsync([MultiOp.Delete(path)])),
        };

        Assert.All(errors, e => Assert.Contains("Invalid ZooKeeper path", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CreateAsync_SequentialWithTrailingSlash_NamesNodeBySequenceOnly()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);
        var root = await CreateTestRootAsync(client);

        var created = await client.CreateAsync(root + "/", Bytes("q"), CreateMode.PersistentSequential);

        Assert.Equal(root + "/0000000000", created.Path);
    }

    [Fact]
    public async Task CreateAndSetData_DataOverOneMebibyte_ThrowArgumentExceptionWithoutSending()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);
        var root = await CreateTestRootAsync(client);
        var tooBig = new byte[(1024 * 1024) + 1];

        var create = await Assert.ThrowsAsync<ArgumentException>(() => client.CreateAsync(root + "/big", tooBig));
        var set = await Assert.ThrowsAsync<ArgumentException>(() => client.SetDataAsync(root, tooBig));

        Assert.Contains("1048577 bytes", create.Message, StringComparison.Ordinal);
        Assert.Contains(root, set.Message, StringComparison.Ordinal);
        Assert.Equal(ZooKeeperSessionState.Connected, client.State);
    }

    [Fact]
    public async Task GetDataAsync_NearlyOneMebibyte_RoundTrips()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);
        var root = await CreateTestRootAsync(client);
        var data = new byte[(1024 * 1024) - 4096];
        new Random(7).NextBytes(data);

        await client.CreateAsync(root + "/large", data);
        var read = await client.GetDataAsync(root + "/large");

        Assert.Equal(data, read.Data.ToArray());
    }

    [Fact]
    public async Task Operations_VersionBelowMinusOne_ThrowArgumentOutOfRange()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);
        var root = await CreateTestRootAsync(client);

        Assert.Equal("version", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.DeleteAsync(root, -2))).ParamName);
        Assert.Equal("version", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.SetDataAsync(root, Bytes("x"), -5))).ParamName);
        Assert.Equal("aclVersion", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.SetAclAsync(root, ZooKeeperAcl.OpenUnsafe, -3))).ParamName);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.MultiAsync([MultiOp.Check(root, -9)]));
    }

    [Fact]
    public async Task CreateAsync_TtlMisuse_ThrowsArgumentException()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);
        var root = await CreateTestRootAsync(client);

        await Assert.ThrowsAsync<ArgumentException>(() => client.CreateAsync(root + "/t", Bytes("x"), CreateMode.PersistentWithTtl));
        await Assert.ThrowsAsync<ArgumentException>(() => client.CreateAsync(root + "/t", Bytes("x"), CreateMode.Persistent, ttl: TimeSpan.FromSeconds(1)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.CreateAsync(root + "/t", Bytes("x"), CreateMode.PersistentWithTtl, ttl: TimeSpan.Zero));
        await Assert.ThrowsAsync<ArgumentException>(() => client.CreateAsync(root + "/t", Bytes("x"), acl: []));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.CreateAsync(root + "/t", Bytes("x"), (CreateMode)42));
    }

    [Fact]
    public async Task GetDataAsync_CanceledToken_ThrowsCanceledAndClientKeepsWorking()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);
        var root = await CreateTestRootAsync(client);
        using var canceled = new CancellationTokenSource();
        await canceled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetDataAsync(root, canceled.Token));

        Assert.Equal(nameof(GetDataAsync_CanceledToken_ThrowsCanceledAndClientKeepsWorking), Text((await client.GetDataAsync(root)).Data));
    }

    [Fact]
    public async Task GetDataAsync_ReplyLargerThanMaxFrameSize_FailsWithConnectionLossAndReconnects()
    {
        await using var writer = await ConnectAsync(fixture.ConnectString);
        var root = await CreateTestRootAsync(writer);
        await writer.CreateAsync(root + "/big", new byte[100 * 1024]);
        await using var client = await ConnectAsync(fixture.ConnectString, o => o.MaxFrameSize = 64 * 1024);
        using var states = new StateRecorder(client);

        var error = await Assert.ThrowsAsync<ConnectionLossException>(() => client.GetDataAsync(root + "/big"));

        Assert.IsType<ZooKeeperProtocolException>(error.InnerException);
        await states.WaitForAsync(ZooKeeperSessionState.Connected, 1, Wait);
        Assert.Equal(0, (await client.GetDataAsync(root)).Stat.Version);
    }
}
