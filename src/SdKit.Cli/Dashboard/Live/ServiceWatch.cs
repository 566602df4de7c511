using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using SdKit.Cli.Dashboard.Browsing;
using SdKit.Client;
using SdKit.Instances;

namespace SdKit.Cli.Dashboard.Live;

/// <summary>
/// Follows one service: a core <see cref="Instancer"/> over the dashboard's discovery client gives the instance
/// sets; after each event (or a change of entry details) the details are read through the registry browser and the
/// <see cref="ServiceView"/> is updated. Refreshes coalesce: a burst of events costs one read of the details.
/// </summary>
internal sealed partial class ServiceWatch : IAsyncDisposable
{
    private readonly IRegistryBrowser _browser;
    private readonly Action<string> _onChanged;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Instancer _instancer;
    private readonly IDisposable _subscription;
    private readonly Channel<bool> _refresh = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private IReadOnlyList<InstanceDetail> _details = [];

    public ServiceWatch(string servicePath, IDiscoveryClient client, IRegistryBrowser browser, Action<string> onChanged, TimeProvider time, ILoggerFactory loggerFactory)
    {
        _browser = browser;
        _onChanged = onChanged;
        _time = time;
        _logger = loggerFactory.CreateLogger<ServiceWatch>();
        View = new ServiceView(servicePath);
        _instancer = new Instancer(client, servicePath, new InstancerOptions { TimeProvider = time }, loggerFactory.CreateLogger<Instancer>());
        _loop = Task.Run(() => RefreshLoopAsync(_stopping.Token));
        _subscription = _instancer.Subscribe(System.Reactive.Observer.Create<InstanceEvent>(_ => Refresh()));
    }

    /// <summary>Gets what the page shows of the service.</summary>
    public ServiceView View { get; }

    /// <summary>Asks for the details to be read again and the view updated (at most one read is pending).</summary>
    public void Refresh() => _refresh.Writer.TryWrite(true);

    public async ValueTask DisposeAsync()
    {
        _subscription.Dispose();
        await _stopping.CancelAsync().ConfigureAwait(false);
        _refresh.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        await _instancer.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task RefreshLoopAsync(CancellationToken cancellationToken)
    {
        var backoff = new Backoff(timeProvider: _time);
        try
        {
            // The empty event before the registry's first answer is not news; an empty first answer is, and the
            // instancer does not send it again, so the first refresh follows the first answer itself.
            await _instancer.WaitForFirstEventAsync(cancellationToken).ConfigureAwait(false);
            Refresh();
            await foreach (var signal in _refresh.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                var change = _instancer.Current;
                try
                {
                    _details = await _browser.ReadDetailsAsync(View.Path, cancellationToken).ConfigureAwait(false);
                    backoff.Reset();
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // The set is still shown (with the details last read); the details are read again after a pause.
                    var pause = backoff.Next();
                    LogDetailsFailed(_logger, View.Path, pause.TotalMilliseconds, ex);
                    _ = RefreshLaterAsync(pause, cancellationToken);
                }

                View.Apply(change, _details, _time.GetUtcNow().ToUnixTimeMilliseconds());
                _onChanged(View.Path);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposed.
        }
    }

    private async Task RefreshLaterAsync(TimeSpan pause, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(pause, _time, cancellationToken).ConfigureAwait(false);
            Refresh();
        }
        catch (OperationCanceledException)
        {
            // Disposed meanwhile.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the entry details of {ServicePath} failed; reading them again in {DelayMs} ms")]
    private static partial void LogDetailsFailed(ILogger logger, string servicePath, double delayMs, Exception exception);
}
