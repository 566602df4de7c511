using SdKit.Client;
using Xunit;

namespace SdKit.Testing.Conformance;

/// <content>Watches: full snapshots at start and after every change.</content>
public abstract partial class DiscoveryClientConformanceTests
{
    /// <summary>A watch yields the current set at once, then the whole set after each change.</summary>
    [Fact]
    public async Task WatchAsync_Changes_YieldsFullSnapshots()
    {
        var path = NewServicePath();
        var writer = await ConnectAsync();
        var reader = await ConnectAsync();
        var a = await writer.RegisterAsync(new ServiceEntry(path, "a:1"));

        var snapshots = Watch(reader, path);
        await WaitForSnapshotAsync(snapshots, "a:1");
        await writer.RegisterAsync(new ServiceEntry(path, "b:2"));
        await WaitForSnapshotAsync(snapshots, "a:1", "b:2");
        await writer.DeregisterAsync(a);
        await WaitForSnapshotAsync(snapshots, "b:2");

        Assert.Null(snapshots.Error);
    }

    /// <summary>Watching a path that does not exist yields an empty set, then fills in when entries appear.</summary>
    [Fact]
    public async Task WatchAsync_MissingPath_YieldsEmptyThenFillsIn()
    {
        var path = NewServicePath();
        var writer = await ConnectAsync();
        var reader = await ConnectAsync();

        var snapshots = Watch(reader, path);
        var first = await snapshots.WaitForAsync(_ => true, EventTimeout);
        Assert.Empty(first);

        await writer.RegisterAsync(new ServiceEntry(path, "late:1"));
        await WaitForSnapshotAsync(snapshots, "late:1");
    }

    /// <summary>A watch sees the entries of a client that was disposed vanish.</summary>
    [Fact]
    public async Task WatchAsync_WriterDisposed_EntriesVanish()
    {
        var path = NewServicePath();
        var writer = await CreateClientAsync();
        var reader = await ConnectAsync();
        await writer.RegisterAsync(new ServiceEntry(path, "a:1"));
        var snapshots = Watch(reader, path);
        await WaitForSnapshotAsync(snapshots, "a:1");

        await writer.DisposeAsync();

        await WaitForSnapshotAsync(snapshots);
        Assert.Equal(ConnectionState.Closed, writer.State);
    }

    /// <summary>Cancelling the token ends the watch.</summary>
    [Fact]
    public async Task WatchAsync_Cancelled_Ends()
    {
        var client = await ConnectAsync();
        using var cancel = new CancellationTokenSource();
        var received = 0;

        var watch = Task.Run(async () =>
        {
            await foreach (var snapshot in client.WatchAsync(NewServicePath(), cancel.Token))
            {
                Assert.NotNull(snapshot);
                if (Interlocked.Increment(ref received) == 1)
                {
                    await cancel.CancelAsync();
                }
            }
        });

        var ended = await Record.ExceptionAsync(() => watch.WaitAsync(EventTimeout));
        Assert.True(ended is null or OperationCanceledException, $"The watch ended with {ended}.");
        Assert.Equal(1, received);
    }
}
