using SdKit.Client;

namespace SdKit.InMemory;

/// <content>Simulated outages.</content>
public sealed partial class InMemoryDiscoveryClient
{
    /// <summary>
    /// Simulates a dropped connection with the session still alive: the state becomes
    /// <see cref="ConnectionState.Suspended"/>, open watches fail, operations throw, entries stay.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
    public void Suspend()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_states.Current == ConnectionState.Closed, this);
            if (_states.Current is ConnectionState.Suspended or ConnectionState.Lost)
            {
                return;
            }

            FailWatchersLocked(new InMemoryConnectionException("The in-memory discovery client's connection was suspended."));
            _states.Report(ConnectionState.Suspended);
        }
    }

    /// <summary>
    /// Simulates a session expiry or a lost lease: every entry of this client vanishes (watchers of other clients see
    /// it), open watches fail, the state becomes <see cref="ConnectionState.Lost"/>, and a new session id is taken
    /// for the time after <see cref="Resume"/>.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
    public void LoseSession()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_states.Current == ConnectionState.Closed, this);
            if (_states.Current == ConnectionState.Lost)
            {
                return;
            }

            _registry.RemoveSession(this);
            Interlocked.Exchange(ref _session, _registry.NewSession());
            FailWatchersLocked(new InMemoryConnectionException("The in-memory discovery client's session was lost."));
            _states.Report(ConnectionState.Lost);
        }
    }

    /// <summary>
    /// Simulates the connection coming back after <see cref="Suspend"/> (same session, entries intact) or after
    /// <see cref="LoseSession"/> (a new session): the state becomes <see cref="ConnectionState.Reconnected"/>.
    /// Does nothing when connected.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
    public void Resume()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_states.Current == ConnectionState.Closed, this);
            _states.Report(ConnectionState.Reconnected);
        }
    }
}
