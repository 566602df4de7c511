using SdKit.Testing.ZooKeeper;
using static SdKit.ZooKeeper.Client.Tests.TestClients;

namespace SdKit.ZooKeeper.Client.Tests.Session;

[Collection(StandaloneCollection.Name)]
public sealed class PipeliningTests(ZooKeeperServerFixture fixture)
{
    [Fact]
    public async Task SetDataAsync_ThousandsWithoutAwaiting_RepliesMatchSubmissionOrder()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);
        var root = await CreateTestRootAsync(client);

        var writes = Enumerable.Range(0, 3000).Select(i => client.SetDataAsync(root, Bytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)))).ToList();
        var stats = await Task.WhenAll(writes).WaitAsync(Wait);

        Assert.Equal(Enumerable.Range(1, 3000), stats.Select(s => s.Version));
        Assert.Equal("2999", Text((await client.GetDataAsync(root)).Data));
    }

    [Fact]
    public async Task GetDataAsync_ManyConcurrentCallersOnDistinctNodes_EachGetsItsOwnReply()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);
        var root = await CreateTestRootAsync(client);
        var paths = Enumerable.Range(0, 100).Select(i => $"{root}/n{i}").ToList();
        await Task.WhenAll(paths.Select(p => client.CreateAsync(p, Bytes(p))));

        var readers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var mismatches = 0;
            for (var round = 0; round < 5; round++)
            {
                var reads = paths.Select(p => (Path: p, Read: client.GetDataAsync(p))).ToList();
                foreach (var (path, read) in reads)
                {
                    mismatches += Text((await read).Data) == path ? 0 : 1;
                }
            }

            return mismatches;
        }));

        Assert.All(await Task.WhenAll(readers).WaitAsync(Wait), m => Assert.Equal(0, m));
    }

    [Fact]
    public async Task Operations_MixedErrorsAndSuccessesPipelined_EachGetsItsOwnOutcome()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);
        var root = await CreateTestRootAsync(client);

        var missing = client.GetDataAsync(root + "/missing");
        var present = client.GetDataAsync(root);
        var exists = client.ExistsAsync(root + "/missing");
        var duplicate = client.CreateAsync(root, Bytes("again"));
        var children = client.GetChildrenAsync(root);

        await Assert.ThrowsAsync<NoNodeException>(() => missing);
        Assert.Equal(0, (await present).Stat.Version);
        Assert.Null(await exists);
        await Assert.ThrowsAsync<NodeExistsException>(() => duplicate);
        Assert.Empty((await children).Children);
    }
}
