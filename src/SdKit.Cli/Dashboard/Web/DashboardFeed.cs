using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using SdKit.Cli.Dashboard.Live;

namespace SdKit.Cli.Dashboard.Web;

/// <summary>
/// The server-sent event stream of every open page: one loop takes what changed in the <see cref="RegistryDashboard"/>
/// every <see cref="FlushInterval"/>, serializes each changed service once, and hands the same text to every page.
/// Pages never cause registry reads; a page that cannot keep up is dropped (its browser reconnects and starts over).
/// </summary>
internal sealed partial class DashboardFeed(RegistryDashboard dashboard, TimeProvider time, ILogger<DashboardFeed> logger) : IAsyncDisposable
{
    /// <summary>How often changes go out: well inside the page's one-second promise, and it coalesces bursts.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>How many messages may wait for one page before it is dropped.</summary>
    private const int PageBacklog = 1000;

    private readonly List<Channel<string>> _pages = [];
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;
    private int _disposed;

    /// <summary>Starts the flush loop.</summary>
    public void Start() => _loop = Task.Run(() => FlushLoopAsync(_stopping.Token));

    /// <summary>Everything, as the first message of a stream or the answer of <c>GET /api/state</c>.</summary>
    public string Snapshot()
        => JsonSerializer.Serialize(new DashboardSnapshot(dashboard.Connection(), dashboard.Services(), time.GetUtcNow().ToUnixTimeMilliseconds()), DashboardJson.Default.DashboardSnapshot);

    /// <summary>Joins a page: its messages from now on, then (taken after joining, so nothing falls between) the snapshot.</summary>
    public (ChannelReader<string> Messages, string Snapshot, IDisposable Leave) Join()
    {
        var page = Channel.CreateBounded<string>(new BoundedChannelOptions(PageBacklog) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        lock (_pages)
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                page.Writer.TryComplete();
            }
            else
            {
                _pages.Add(page);
            }
        }

        return (page.Reader, Event("snapshot", Snapshot()), new Leaving(this, page));
    }

    /// <summary>Stops the loop and ends every page's stream; a second call does nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        lock (_pages)
        {
            foreach (var page in _pages)
            {
                page.Writer.TryComplete();
            }

            _pages.Clear();
        }

        _stopping.Dispose();
    }

    private static string Event(string name, string json) => $"event: {name}\ndata: {json}\n\n";

    private async Task FlushLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(FlushInterval, time);
        while (true)
        {
            try
            {
                if (!await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                Flush();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // One bad flush must not end the page's updates: log it and go on with the next tick.
                LogFlushFailed(logger, ex);
            }
        }
    }

    private void Flush()
    {
        var (services, connection) = dashboard.TakeChanges();
        var messages = new List<string>(services.Count + 1);
        if (connection is not null)
        {
            messages.Add(Event("connection", JsonSerializer.Serialize(connection, DashboardJson.Default.ConnectionStatus)));
        }

        messages.AddRange(services.Select(service => Event("service", JsonSerializer.Serialize(service, DashboardJson.Default.ServiceState))));
        if (messages.Count == 0)
        {
            return;
        }

        lock (_pages)
        {
            foreach (var page in _pages.ToList())
            {
                foreach (var message in messages)
                {
                    if (!page.Writer.TryWrite(message))
                    {
                        LogPageDropped(logger, PageBacklog);
                        page.Writer.TryComplete();
                        _pages.Remove(page);
                        break;
                    }
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Sending the dashboard's changes failed; trying again at the next tick")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A page fell {Backlog} messages behind and was dropped; its browser reconnects for a fresh snapshot")]
    private static partial void LogPageDropped(ILogger logger, int backlog);

    private sealed class Leaving(DashboardFeed feed, Channel<string> page) : IDisposable
    {
        public void Dispose()
        {
            lock (feed._pages)
            {
                feed._pages.Remove(page);
            }

            page.Writer.TryComplete();
        }
    }
}
