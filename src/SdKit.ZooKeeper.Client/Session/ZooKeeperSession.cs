using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using SdKit.ZooKeeper.Client.Protocol;
using SdKit.ZooKeeper.Client.Protocol.Requests;

namespace SdKit.ZooKeeper.Client.Session;

/// <summary>
/// The session across connections: it owns the request queue, the session id and password, the last zxid seen, the
/// watches and the state; a supervisor loop opens connections across the ensemble and moves the session between them.
/// </summary>
internal sealed partial class ZooKeeperSession : IAsyncDisposable
{
    private const int SetWatchesBatchChars = 128 * 1024;

    private readonly Channel<Operation> _requests = Channel.CreateUnbounded<Operation>(new UnboundedChannelOptions { SingleReader = false, AllowSynchronousContinuations = false });
    private readonly BehaviorSubject<ZooKeeperSessionState> _state = new(ZooKeeperSessionState.Connecting);
    private readonly object _stateLock = new();
    private readonly CancellationTokenSource _disposing = new();
    private readonly TaskCompletionSource _firstConnect = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger _logger;
    private readonly List<ZooKeeperAuthInfo> _credentials;
    private readonly ConnectString _connectString;
    private Task _supervisor = Task.CompletedTask;
    private ZooKeeperConnection? _connection;
    private Exception? _terminal;
    private volatile bool _closing;
    private volatile bool _seenReadWrite;
    private Exception? _lastConnectError;
    private long _sessionId;
    private byte[] _password = [];
    private long _lastZxid;
    private long _generation;
    private int _negotiatedTimeoutMs;

    public ZooKeeperSession(ZooKeeperClientOptions options, ILogger logger)
    {
        Options = options;
        _logger = logger;
        _connectString = ConnectString.Parse(options.ConnectString);
        _credentials = [.. options.Authentication];
        Watches = new WatchRegistry(_connectString.Chroot);
        StateChanges = _state.ObserveOn(TaskPoolScheduler.Default).AsObservable();
    }

    public ZooKeeperClientOptions Options { get; }

    public TimeProvider Time => Options.TimeProvider;

    public string? Chroot => _connectString.Chroot;

    public WatchRegistry Watches { get; }

    public ChannelReader<Operation> Requests => _requests.Reader;

    public IObservable<ZooKeeperSessionState> StateChanges { get; }

    public ZooKeeperSessionState State => _state.Value;

    public long SessionId => Interlocked.Read(ref _sessionId);

    public ReadOnlyMemory<byte> Password => _password;

    public long LastZxid => Interlocked.Read(ref _lastZxid);

    public long Generation => Interlocked.Read(ref _generation);

    public TimeSpan NegotiatedTimeout => TimeSpan.FromMilliseconds(Volatile.Read(ref _negotiatedTimeoutMs));

    public IReadOnlyList<ZooKeeperAuthInfo> Credentials
    {
        get
        {
            lock (_credentials)
            {
                return [.. _credentials];
            }
        }
    }

    public string? ConnectedServer => _connection?.Server.ToString();

    /// <summary>Starts the supervisor and waits for the first session.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _supervisor = Task.Run(() => SuperviseAsync(_disposing.Token), CancellationToken.None);
        try
        {
            await _firstConnect.Task.WaitAsync(Options.ConnectTimeout, Time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            var hosts = string.Join(",", _connectString.Hosts);
            throw new ConnectionLossException(null, $"Could not open a ZooKeeper session with any of {hosts} within {Options.ConnectTimeout.TotalSeconds:0.###} s. Last error: {_lastConnectError?.Message ?? "none"}", _lastConnectError ?? ex);
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested && _lastConnectError is ZooKeeperProtocolException last)
        {
            // The caller gave up while the servers answered with something that is not ZooKeeper: say so, rather than
            // leave the caller to report a silent server. The cancellation stays a cancellation, carrying the reason.
            var hosts = string.Join(",", _connectString.Hosts);
            var reason = new ConnectionLossException(null, $"Could not open a ZooKeeper session with any of {hosts}. Last error: {last.Message}", last);
            throw new OperationCanceledException(reason.Message, reason, ex.CancellationToken);
        }
    }

    /// <summary>Queues <paramref name="operation"/> for the current (or next) connection and returns its task.</summary>
    public Task<T> Submit<T>(Operation<T> operation, CancellationToken cancellationToken)
    {
        if (_terminal is { } terminal)
        {
            return Task.FromException<T>(Rethrowable(terminal, operation.Path));
        }

        operation.Generation = Generation;
        operation.RegisterCancellation(cancellationToken);
        s_requests.Add(1);
        if (_connection is { } connection && connection.TrySendDirect(operation))
        {
            return operation.Task;
        }

        if (!_requests.Writer.TryWrite(operation))
        {
            operation.Fail(new ClientClosedException(operation.Path, "The ZooKeeper client is closed."));
        }

        return operation.Task;
    }

    public void EnqueuePing() => _requests.Writer.TryWrite(PingOperation.Instance);

    public void AddCredential(ZooKeeperAuthInfo auth)
    {
        lock (_credentials)
        {
            _credentials.Add(auth);
        }
    }

    public void OnZxid(long zxid)
    {
        if (zxid <= 0)
        {
            return;
        }

        var current = Interlocked.Read(ref _lastZxid);
        while (zxid > current)
        {
            var seen = Interlocked.CompareExchange(ref _lastZxid, zxid, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    public void OnNotification(WatcherEvent notification)
    {
        Log.Notification(_logger, notification.Type, notification.Path);
        s_notifications.Add(1);
        Watches.Dispatch(notification);
    }

    /// <summary>
    /// Gets the session id to resume: 0 while the session has only ever been carried by read-only servers, whose
    /// sessions a read-write server does not know (the client then opens a new one, as the Java client does).
    /// </summary>
    public long ResumableSessionId => _seenReadWrite ? SessionId : 0;

    public void OnHandshake(ConnectResponse response)
    {
        if (response.SessionId != SessionId)
        {
            _seenReadWrite = false;
        }

        _seenReadWrite |= !response.ReadOnly;
        Interlocked.Exchange(ref _sessionId, response.SessionId);
        _password = response.Password;
        Volatile.Write(ref _negotiatedTimeoutMs, response.TimeoutMs);
    }

    /// <summary>Builds the exception a pending request gets when its connection ends for <paramref name="reason"/>.</summary>
    public static Exception FailureFor(Operation operation, Exception reason, HostAndPort server) => reason switch
    {
        ZooKeeperException { Code: ZooKeeperErrorCode.SessionExpired or ZooKeeperErrorCode.AuthFailed or ZooKeeperErrorCode.Closing } typed
            => ZooKeeperException.Create(typed.Code, operation.Path, typed.Message, reason),
        _ => new ConnectionLossException(operation.Path, operation.Path is null
            ? $"The connection to {server} was lost: {reason.Message}"
            : $"The connection to {server} was lost before the reply for '{operation.Path}': {reason.Message}", reason),
    };

    public async ValueTask DisposeAsync()
    {
        if (_disposing.IsCancellationRequested || _closing)
        {
            return;
        }

        // After closeSession the server closes the socket: that is the end, not a connection loss to recover from.
        _closing = true;
        if (_connection is { } connection && State is ZooKeeperSessionState.Connected or ZooKeeperSessionState.ConnectedReadOnly)
        {
            var close = Submit(new CloseSessionOperation(), CancellationToken.None);
            try
            {
                await close.WaitAsync(TimeSpan.FromSeconds(2), Time).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ZooKeeperException or TimeoutException)
            {
                Log.CloseSessionFailed(_logger, SessionId, ex);
            }
        }

        var closed = new ClientClosedException(null, "The ZooKeeper client was disposed.");
        _terminal = closed;
        _disposing.Cancel();
        _connection?.Abort(closed);
        _requests.Writer.TryComplete();
        await _supervisor.ConfigureAwait(false);
        FailQueued(closed);
        Watches.FailAll(closed);
        _firstConnect.TrySetException(closed);
        Publish(ZooKeeperSessionState.Closed);
        _state.OnCompleted();
        _disposing.Dispose();
    }

    private static Exception Rethrowable(Exception terminal, string? path)
        => terminal is ZooKeeperException typed ? ZooKeeperException.Create(typed.Code, path, typed.Message, terminal) : terminal;

    private void FailQueued(Exception reason)
    {
        while (_requests.Reader.TryRead(out var operation))
        {
            if (operation is not PingOperation)
            {
                operation.Fail(Rethrowable(reason, operation.Path));
            }
        }
    }

    private void Publish(ZooKeeperSessionState state)
    {
        lock (_stateLock)
        {
            if (_state.Value != state && _state.Value != ZooKeeperSessionState.Closed)
            {
                _state.OnNext(state);
            }
        }
    }
}
