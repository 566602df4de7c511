using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace SdKit.ZooKeeper.Discovery;

/// <summary>
/// One watch of one service path, shared by every <see cref="ZooKeeperDiscoveryClient.WatchAsync"/> of that path on
/// the same client: a hundred Instancers on one session cost one ZooKeeper watch and one read per change, not a
/// hundred. Each subscriber holds only the latest snapshot (a full set makes older ones worthless), so a slow
/// subscriber never holds up the watch or the others. The first failure ends the watch for all its subscribers; the
/// next subscription starts a new one.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "The stop source has no timer and may be cancelled by the last subscriber after the loop ended, so it is deliberately never disposed.")]
internal sealed class SharedPathWatch
{
    private readonly Func<string, CancellationToken, IAsyncEnumerable<IReadOnlyList<string>>> _watch;
    private readonly ILogger _logger;
    private readonly Action<SharedPathWatch> _onEnd;
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private readonly List<Subscription> _subscribers = [];
    private IReadOnlyList<string>? _latest;
    private bool _ended;

    public SharedPathWatch(Func<string, CancellationToken, IAsyncEnumerable<IReadOnlyList<string>>> watch, string servicePath, ILogger logger, Action<SharedPathWatch> onEnd)
    {
        _watch = watch;
        ServicePath = servicePath;
        _logger = logger;
        _onEnd = onEnd;
    }

    public string ServicePath { get; }

    /// <summary>Starts the watch loop; call once, after the first subscription.</summary>
    public void Start() => _ = Task.Run(RunAsync);

    /// <summary>Adds a subscriber, which receives the current snapshot at once if there is one; <see langword="null"/> once the watch has ended.</summary>
    public Subscription? TrySubscribe()
    {
        lock (_gate)
        {
            if (_ended)
            {
                return null;
            }

            var subscription = new Subscription(this);
            if (_latest is { } latest)
            {
                subscription.Offer(latest);
            }

            _subscribers.Add(subscription);
            return subscription;
        }
    }

    private void Unsubscribe(Subscription subscription)
    {
        lock (_gate)
        {
            if (!_subscribers.Remove(subscription) || _subscribers.Count > 0 || _ended)
            {
                return;
            }

            _ended = true;
        }

        _onEnd(this);
        _stop.Cancel();
    }

    private async Task RunAsync()
    {
        Exception? failure = null;
        try
        {
            await foreach (var snapshot in _watch(ServicePath, _stop.Token).ConfigureAwait(false))
            {
                lock (_gate)
                {
                    _latest = snapshot;
                    foreach (var subscriber in _subscribers)
                    {
                        subscriber.Offer(snapshot);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // The last subscriber left.
        }
#pragma warning disable CA1031 // Every failure is handed to the subscribers, whose enumerators throw it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            failure = ex;
        }

        Subscription[] subscribers;
        bool notify;
        lock (_gate)
        {
            notify = !_ended;
            _ended = true;
            subscribers = [.. _subscribers];
            _subscribers.Clear();
        }

        if (notify)
        {
            _onEnd(this);
        }

        if (failure is not null)
        {
            ZooKeeperDiscoveryClient.Log.WatchFailed(_logger, ServicePath, subscribers.Length, failure);
        }

        foreach (var subscriber in subscribers)
        {
            subscriber.End(failure ?? new ClientClosedException(ServicePath, $"The watch of '{ServicePath}' ended."));
        }
    }

    /// <summary>One reader of the shared watch: the latest snapshot, or the failure that ended the watch.</summary>
    internal sealed class Subscription : IDisposable
    {
        private readonly SharedPathWatch _owner;
        private readonly Channel<IReadOnlyList<string>> _latest = Channel.CreateBounded<IReadOnlyList<string>>(
            new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

        public Subscription(SharedPathWatch owner) => _owner = owner;

        public ChannelReader<IReadOnlyList<string>> Snapshots => _latest.Reader;

        /// <summary>Gets the failure that ended the watch, once <see cref="Snapshots"/> has completed.</summary>
        public Exception? Failure { get; private set; }

        public void Offer(IReadOnlyList<string> snapshot) => _latest.Writer.TryWrite(snapshot);

        public void End(Exception failure)
        {
            Failure = failure;
            _latest.Writer.TryComplete();
        }

        public void Dispose() => _owner.Unsubscribe(this);
    }
}
