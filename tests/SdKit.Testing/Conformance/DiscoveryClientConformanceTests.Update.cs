using SdKit.Client;
using Xunit;

namespace SdKit.Testing.Conformance;

/// <content>Update in place.</content>
public abstract partial class DiscoveryClientConformanceTests
{
    /// <summary>An update replaces the instance string of the same entry: watchers go from the old string to the new one, never through a gap.</summary>
    [Fact]
    public async Task UpdateAsync_Registered_WatchersSeeTheOldStringReplacedByTheNewOne()
    {
        var path = NewServicePath();
        var writer = await ConnectAsync();
        var reader = await ConnectAsync();
        var snapshots = Watch(reader, path);
        var first = await writer.RegisterAsync(new ServiceEntry(path, "127.0.0.1:8101"));
        await snapshots.WaitForAsync(s => s.SequenceEqual(["127.0.0.1:8101"]), EventTimeout);
        var mark = snapshots.Values.Count;

        var second = await writer.UpdateAsync(first, "127.0.0.1:8102");

        await snapshots.WaitForNextAsync(mark, s => s.SequenceEqual(["127.0.0.1:8102"]), EventTimeout);
        Assert.All(snapshots.Values.Skip(mark), s => Assert.True(s.SequenceEqual(["127.0.0.1:8101"]) || s.SequenceEqual(["127.0.0.1:8102"]), string.Join(",", s)));
        Assert.Equal(first.Key, second.Key);
        Assert.Equal(first.Generation, second.Generation);
        Assert.Equal("127.0.0.1:8102", second.Entry.Instance);
        Assert.Equal(["127.0.0.1:8102"], await reader.ListAsync(path));
        await writer.DeregisterAsync(second);
        Assert.Empty(await reader.ListAsync(path));
    }

    /// <summary>An entry that is gone is not written again by an update: the update fails and nothing appears.</summary>
    [Fact]
    public async Task UpdateAsync_Deregistered_FailsAndWritesNothing()
    {
        var path = NewServicePath();
        var client = await ConnectAsync();
        var handle = await client.RegisterAsync(new ServiceEntry(path, "127.0.0.1:8103"));
        await client.DeregisterAsync(handle);

        await Assert.ThrowsAnyAsync<DiscoveryException>(async () => await client.UpdateAsync(handle, "127.0.0.1:8104"));

        Assert.Empty(await client.ListAsync(path));
    }
}
