using Etcdserverpb;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace SdKit.Etcd;

/// <summary>
/// The client's one etcd watch stream, carrying every <see cref="PrefixWatch"/> of the client: each is a watcher on it
/// with a watch id the client assigns (etcd 3.4 honours <c>WatchCreateRequest.watch_id</c>), and every response is
/// routed by its <c>watch_id</c>. Before, each watch opened a gRPC stream of its own, so 10,000 Instancers cost
/// etcd 10,000 watch streams.
/// </summary>
/// <remarks>
/// <para>The stream is opened when the first watch attaches and closed when the last one leaves. When it breaks it is
/// opened again after a backoff (one for the stream, from 100 ms to <see cref="EtcdDiscoveryOptions.MaxRetryDelay"/>),
/// and every watcher is created again from its own last revision + 1, so no change is lost; a watcher that saw
/// <see cref="EtcdDiscoveryOptions.WatchResumeAttempts"/> failures in a row without being confirmed gets the failure
/// instead, as each watch did with its own stream.</para>
/// <para>Ids are never reused: a watcher created again after a compaction gets a new one, since etcd keeps a compacted
/// watcher's id until it is cancelled.</para>
/// </remarks>
internal sealed partial class WatchMux : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<long, PrefixWatch> _watches = [];
    private readonly EtcdConnection _connection;
    private readonly int _resumeAttempts;
    private readonly Backoff _backoff;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action _onFailure;
    private readonly CancellationTokenSource _stopping = new();
    private TaskCompletionSource? _idle;
    private OpenStream? _stream;
    private Task? _loop;
    private long _lastId;
    private bool _stopped;
    private int _streamsOpened;

    public WatchMux(EtcdConnection connection, EtcdDiscoveryOptions options, TimeProvider time, ILogger logger, Action onFailure)
    {
        _connection = connection;
        Lister = new PrefixLister(connection);
        _resumeAttempts = options.WatchResumeAttempts;
        _backoff = new Backoff(EtcdDefaults.InitialRetryDelay, options.MaxRetryDelay);
        _time = time;
        _logger = logger;
        _onFailure = onFailure;
    }

    /// <summary>Gets the connection the watches list and watch through.</summary>
    public EtcdConnection Connection => _connection;

    /// <summary>Gets the listings of the watches, batched while many start at once.</summary>
    public PrefixLister Lister { get; }

    /// <summary>Gets the number of watches attached (on the stream, or waiting for it to open).</summary>
    public int WatchCount
    {
        get
        {
            lock (_gate)
            {
                return _watches.Count;
            }
        }
    }

    /// <summary>Gets the number of watch streams opened so far (one at a time; another only after a break or an idle close).</summary>
    public int StreamsOpened => Volatile.Read(ref _streamsOpened);

    /// <summary>Gets a value indicating whether the stream is open now.</summary>
    public bool IsStreamOpen
    {
        get
        {
            lock (_gate)
            {
                return _stream is { IsClosing: false };
            }
        }
    }

    /// <summary>Puts <paramref name="watch"/> on the stream, watching from <paramref name="revision"/> + 1, under a new watch id.</summary>
    public void Attach(PrefixWatch watch, long revision)
    {
        TaskCompletionSource? wake = null;
        bool stopped;
        lock (_gate)
        {
            stopped = _stopped;
            if (!stopped)
            {
                watch.WatchId = ++_lastId;
                watch.ResumeRevision = revision;
                _watches.Add(watch.WatchId, watch);
                if (_stream is { IsClosing: false } stream)
                {
                    stream.Send(CreateRequest(watch));
                }
                else
                {
                    // The loop sends the creates of every attached watch when it opens the stream.
                    wake = _idle;
                    _idle = null;
                }

                _loop ??= Task.Run(() => RunAsync(_stopping.Token));
            }
        }

        if (stopped)
        {
            watch.Deliver(Disposed(watch));
            return;
        }

        wake?.TrySetResult();
    }

    /// <summary>Takes <paramref name="watch"/> off the stream: etcd is told to cancel its watcher; the stream closes when it was the last.</summary>
    public void Detach(PrefixWatch watch)
    {
        OpenStream? closing = null;
        lock (_gate)
        {
            var id = watch.WatchId;
            if (id == 0 || !_watches.Remove(id))
            {
                return;
            }

            watch.WatchId = 0;
            if (_stream is { IsClosing: false } stream)
            {
                if (_watches.Count == 0)
                {
                    closing = stream;
                    stream.IsClosing = true;
                }
                else
                {
                    stream.Send(CancelRequest(id));
                }
            }
        }

        // Outside the lock: cancelling the call runs gRPC's callbacks.
        closing?.Stop.Cancel();
    }

    /// <summary>Closes the stream; every watch still attached gets an <see cref="ObjectDisposedException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        Task? loop;
        List<PrefixWatch> left;
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
            loop = _loop;
            left = [.. _watches.Values];
            _watches.Clear();
            foreach (var watch in left)
            {
                watch.WatchId = 0;
            }
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (loop is not null)
        {
            await loop.ConfigureAwait(false);
        }

        foreach (var watch in left)
        {
            watch.Deliver(Disposed(watch));
        }

        _stopping.Dispose();
    }

    private static ObjectDisposedException Disposed(PrefixWatch watch)
        => new(nameof(EtcdDiscoveryClient), $"The etcd client was disposed while watching '{watch.Prefix}'.");

    private static WatchRequest CreateRequest(PrefixWatch watch)
    {
        var key = ByteString.CopyFromUtf8(watch.Prefix);
        return new WatchRequest
        {
            CreateRequest = new WatchCreateRequest
            {
                Key = key,
                RangeEnd = EtcdKeys.RangeEnd(key),
                StartRevision = watch.ResumeRevision + 1,
                WatchId = watch.WatchId,
                ProgressNotify = true,

                // A response larger than etcd's request limit comes in pieces; the reader joins them before handing it over.
                Fragment = true,
            },
        };
    }

    private static WatchRequest CancelRequest(long id) => new() { CancelRequest = new WatchCancelRequest { WatchId = id } };
}
