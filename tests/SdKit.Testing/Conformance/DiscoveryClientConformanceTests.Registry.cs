using SdKit.Client;
using Xunit;

namespace SdKit.Testing.Conformance;

/// <content>List, register, deregister.</content>
public abstract partial class DiscoveryClientConformanceTests
{
    /// <summary>A path nobody wrote lists as empty.</summary>
    [Fact]
    public async Task ListAsync_MissingPath_ReturnsEmpty()
    {
        var client = await ConnectAsync();

        Assert.Empty(await client.ListAsync(NewServicePath()));
    }

    /// <summary>An entry is visible to other clients, as its instance string.</summary>
    [Fact]
    public async Task RegisterAsync_Entry_ListedByAnotherClient()
    {
        var path = NewServicePath();
        var writer = await ConnectAsync();
        var reader = await ConnectAsync();

        var handle = await writer.RegisterAsync(new ServiceEntry(path, "127.0.0.1:8001"));

        Assert.Equal(["127.0.0.1:8001"], await reader.ListAsync(path));
        Assert.Equal(path, handle.Entry.ServicePath);
        Assert.False(string.IsNullOrEmpty(handle.Key));
    }

    /// <summary>Registering the same entry twice writes two entries with different keys.</summary>
    [Fact]
    public async Task RegisterAsync_SameEntryTwice_WritesTwoEntries()
    {
        var path = NewServicePath();
        var client = await ConnectAsync();

        var first = await client.RegisterAsync(new ServiceEntry(path, "127.0.0.1:8002"));
        var second = await client.RegisterAsync(new ServiceEntry(path, "127.0.0.1:8002"));

        Assert.NotEqual(first.Key, second.Key);
        Assert.Equal(["127.0.0.1:8002", "127.0.0.1:8002"], await client.ListAsync(path));
    }

    /// <summary>Deregistering removes exactly the entry named by the handle, not its siblings.</summary>
    [Fact]
    public async Task DeregisterAsync_OneOfSeveral_RemovesExactlyThatEntry()
    {
        var path = NewServicePath();
        var client = await ConnectAsync();
        var other = await ConnectAsync();
        var a = await client.RegisterAsync(new ServiceEntry(path, "a:1"));
        await client.RegisterAsync(new ServiceEntry(path, "b:2"));
        await other.RegisterAsync(new ServiceEntry(path, "c:3"));
        await client.RegisterAsync(new ServiceEntry(path, "a:1"));

        await client.DeregisterAsync(a);

        Assert.Equal(["a:1", "b:2", "c:3"], Sorted(await other.ListAsync(path)));
    }

    /// <summary>Deregistering twice succeeds, and does not touch other entries.</summary>
    [Fact]
    public async Task DeregisterAsync_Twice_Succeeds()
    {
        var path = NewServicePath();
        var client = await ConnectAsync();
        var gone = await client.RegisterAsync(new ServiceEntry(path, "a:1"));
        await client.RegisterAsync(new ServiceEntry(path, "b:2"));

        await client.DeregisterAsync(gone);
        await client.DeregisterAsync(gone);

        Assert.Equal(["b:2"], await client.ListAsync(path));
    }

    /// <summary>Bad input fails with an <see cref="ArgumentException"/> before reaching the server.</summary>
    [Fact]
    public async Task ListAsync_InvalidPath_ThrowsArgumentException()
    {
        var client = await ConnectAsync();

        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await client.ListAsync("/bad//"));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await client.ListAsync("/"));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await client.ListAsync(""));
    }

    /// <summary>
    /// One trailing <c>/</c> names the same service (the seed's etcd prefix is <c>services/</c>), with the same
    /// boundary: nothing beside the path (<c>/svcx</c>) is an instance.
    /// </summary>
    [Fact]
    public async Task ListAndWatch_TrailingSlash_SeeExactlyThePathsEntries()
    {
        var client = await ConnectAsync();
        var path = NewServicePath();
        await client.RegisterAsync(new ServiceEntry(path + "/", "a:1"));
        await client.RegisterAsync(new ServiceEntry(path + "x", "beside:1"));

        var listed = await client.ListAsync(path + "/");
        IReadOnlyList<string>? watched = null;
        await foreach (var snapshot in client.WatchAsync(path + "/"))
        {
            watched = snapshot;
            break;
        }

        Assert.Equal(["a:1"], listed);
        Assert.Equal(["a:1"], watched);
        Assert.Equal(["a:1"], await client.ListAsync(path));
    }
}
