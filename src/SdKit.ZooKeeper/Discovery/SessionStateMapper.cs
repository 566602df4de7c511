using SdKit.Client;

namespace SdKit.ZooKeeper.Discovery;

/// <summary>
/// Turns the session states of a <see cref="ZooKeeperClient"/> into SdKit's <see cref="ConnectionState"/>, with
/// Curator's meaning: Disconnected is <see cref="ConnectionState.Suspended"/>; Expired, or a disconnection that
/// outlasts the negotiated session timeout, is <see cref="ConnectionState.Lost"/>; connected again (the same session
/// or a new one) is <see cref="ConnectionState.Reconnected"/>; disposal is <see cref="ConnectionState.Closed"/>.
/// </summary>
/// <remarks>
/// Lost is reported locally once the session timeout passes while disconnected (as Curator does) because an
/// unreachable ensemble cannot say "expired", and a registration that stays silent for that long is gone for every
/// watcher. If the same session comes back after all, the registrar deletes its old node before writing a new one.
/// <para>Which moves are taken (Lost stays until Reconnected, nothing after Closed, repeats dropped) is the shared
/// <see cref="ConnectionStateTracker"/>'s rule; this type only maps session events and runs the lost timer.</para>
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "The only disposable field is the lost timer, disposed by Close.")]
internal sealed class SessionStateMapper
{
    private readonly ConnectionStateTracker _tracker;
    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly Func<TimeSpan> _sessionTimeout;
    private readonly Action<ConnectionState, ZooKeeperSessionState> _onChange;
    private ITimer? _lostTimer;
    private long _disconnection;

    public SessionStateMapper(TimeProvider time, Func<TimeSpan> sessionTimeout, Action<ConnectionState, ZooKeeperSessionState> onChange, Microsoft.Extensions.Logging.ILogger? logger = null)
    {
        _tracker = new ConnectionStateTracker(logger);
        _time = time;
        _sessionTimeout = sessionTimeout;
        _onChange = onChange;
    }

    public ConnectionState Current => _tracker.Current;

    public IObservable<ConnectionState> Changes => _tracker.Changes;

    /// <summary>Applies one session state of the ZooKeeper client.</summary>
    public void OnSessionState(ZooKeeperSessionState state)
    {
        lock (_gate)
        {
            switch (state)
            {
                case ZooKeeperSessionState.Connected:
                    StopLostTimerLocked();
                    MoveLocked(_tracker.Current is ConnectionState.Connected ? ConnectionState.Connected : ConnectionState.Reconnected, state);
                    break;
                case ZooKeeperSessionState.Disconnected or ZooKeeperSessionState.ConnectedReadOnly:
                    if (_tracker.Current is not (ConnectionState.Lost or ConnectionState.Suspended))
                    {
                        MoveLocked(ConnectionState.Suspended, state);
                        StartLostTimerLocked();
                    }

                    break;
                case ZooKeeperSessionState.Expired or ZooKeeperSessionState.AuthFailed:
                    StopLostTimerLocked();
                    MoveLocked(ConnectionState.Lost, state);
                    break;
                case ZooKeeperSessionState.Closed:
                    CloseLocked();
                    break;
            }
        }
    }

    /// <summary>Reports <see cref="ConnectionState.Closed"/> and completes the stream.</summary>
    public void Close()
    {
        lock (_gate)
        {
            CloseLocked();
        }
    }

    private void CloseLocked()
    {
        StopLostTimerLocked();
        MoveLocked(ConnectionState.Closed, ZooKeeperSessionState.Closed);
    }

    /// <summary>Reports <paramref name="next"/> to the tracker (which completes the stream after Closed); says so when it was taken.</summary>
    private void MoveLocked(ConnectionState next, ZooKeeperSessionState cause)
    {
        if (_tracker.Report(next))
        {
            _onChange(next, cause);
        }
    }

    private void StartLostTimerLocked()
    {
        StopLostTimerLocked();
        var epoch = ++_disconnection;
        _lostTimer = _time.CreateTimer(_ => OnLostTimer(epoch), null, _sessionTimeout(), Timeout.InfiniteTimeSpan);
    }

    private void StopLostTimerLocked()
    {
        _disconnection++;
        _lostTimer?.Dispose();
        _lostTimer = null;
    }

    private void OnLostTimer(long epoch)
    {
        lock (_gate)
        {
            if (epoch == _disconnection && _tracker.Current == ConnectionState.Suspended)
            {
                MoveLocked(ConnectionState.Lost, ZooKeeperSessionState.Disconnected);
            }
        }
    }
}
