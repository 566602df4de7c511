using System.Threading.Channels;

namespace SdKit.ZooKeeper.Client;

/// <summary>
/// A persistent (or persistent-recursive) watch added by <see cref="ZooKeeperClient.AddWatchAsync"/>. Its events queue
/// up in <see cref="Events"/> (unbounded, in order) and never block the client. Dispose it to remove the watch.
/// </summary>
/// <remarks>
/// The watch survives connection loss: it is re-armed with SetWatches2, but ZooKeeper sends no catch-up events for
/// persistent watches, so changes made while disconnected are not reported. Instead, once the watch is re-armed and
/// before <see cref="ZooKeeperSessionState.Connected"/> is published, an event of type
/// <see cref="WatchedEventType.None"/> (with <see cref="Path"/>) is queued: read again what the watch tracks, and
/// every later change is reported. When the session expires,
/// <see cref="Events"/> completes with <see cref="SessionExpiredException"/>; when the client is disposed, with
/// <see cref="ClientClosedException"/>; after <see cref="DisposeAsync"/>, it completes normally.
/// </remarks>
public sealed class PersistentWatch : IAsyncDisposable
{
    private readonly Channel<WatchedEvent> _events = Channel.CreateUnbounded<WatchedEvent>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly Func<PersistentWatch, ValueTask> _remove;
    private int _disposed;

    internal PersistentWatch(string path, string serverPath, AddWatchMode mode, Func<PersistentWatch, ValueTask> remove)
    {
        Path = path;
        ServerPath = serverPath;
        Mode = mode;
        _remove = remove;
    }

    /// <summary>Gets the watched path.</summary>
    public string Path { get; }

    /// <summary>Gets the kind of watch.</summary>
    public AddWatchMode Mode { get; }

    /// <summary>Gets the events, in the order the server sent them.</summary>
    public ChannelReader<WatchedEvent> Events => _events.Reader;

    internal string ServerPath { get; }

    /// <summary>Removes the watch: locally at once, and on the server when no other watch of this client uses the path.</summary>
    /// <returns>A task that completes when the watch is removed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _events.Writer.TryComplete();
            await _remove(this).ConfigureAwait(false);
        }
    }

    internal void Post(WatchedEvent watchedEvent) => _events.Writer.TryWrite(watchedEvent);

    internal void Complete(Exception? error) => _events.Writer.TryComplete(error);
}
