using System.Diagnostics;
using SdKit.ZooKeeper.Client;

namespace SdKit.Benchmarks.Scenarios.Watchers;

/// <summary>
/// A stage below the Instancer: one SdKit.ZooKeeper.Client session with a persistent recursive watch on the service
/// path that stamps when the next child is created (the notification read off the socket) and when that child's data
/// has been read, the two steps the discovery client takes before the Instancer sees the instance.
/// </summary>
internal sealed class RawNodeWatcher : IAsyncDisposable
{
    private readonly ZooKeeperClient _client;
    private readonly PersistentWatch _watch;
    private readonly Task _loop;
    private TaskCompletionSource<(long Notified, long Read)> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RawNodeWatcher(ZooKeeperClient client, PersistentWatch watch)
    {
        _client = client;
        _watch = watch;
        _loop = Task.Run(ReadEventsAsync);
    }

    public static async Task<RawNodeWatcher> StartAsync(string connectString, string path, CancellationToken cancellationToken)
    {
        var client = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectString = connectString, SessionTimeout = TimeSpan.FromSeconds(4) }, cancellationToken: cancellationToken).ConfigureAwait(false);
        var watch = await client.AddWatchAsync(path, AddWatchMode.PersistentRecursive, cancellationToken).ConfigureAwait(false);
        return new RawNodeWatcher(client, watch);
    }

    /// <summary>Completes with the stamps of the next child created after this call.</summary>
    public Task<(long Notified, long Read)> NextCreated()
    {
        var next = new TaskCompletionSource<(long Notified, long Read)>(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _next, next);
        return next.Task;
    }

    public async ValueTask DisposeAsync()
    {
        await _watch.DisposeAsync().ConfigureAwait(false);
        await _client.DisposeAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
    }

    private async Task ReadEventsAsync()
    {
        try
        {
            await foreach (var watched in _watch.Events.ReadAllAsync().ConfigureAwait(false))
            {
                if (watched.Type != WatchedEventType.NodeCreated)
                {
                    continue;
                }

                var notified = Stopwatch.GetTimestamp();
                try
                {
                    _ = await _client.GetDataAsync(watched.Path).ConfigureAwait(false);
                }
                catch (NoNodeException)
                {
                    // Deleted before it could be read: not a round's registration.
                    continue;
                }

                Volatile.Read(ref _next).TrySetResult((notified, Stopwatch.GetTimestamp()));
            }
        }
        catch (Exception ex) when (ex is ZooKeeperException or ObjectDisposedException or OperationCanceledException)
        {
            // The session closed at the end of the run.
        }
    }
}
