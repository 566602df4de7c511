using System.Reactive.Linq;
using System.Reactive.Subjects;
using SdKit.Client;

namespace SdKit.Etcd;

/// <summary>
/// The client's connection state and its stream. Reports are ordered and deduplicated, and only meaningful moves
/// are taken: a lost lease stays <see cref="ConnectionState.Lost"/> until a new lease is granted (a failing request
/// meanwhile must not turn it into <see cref="ConnectionState.Suspended"/>, or a registrar would miss that it has to
/// register again), and nothing follows <see cref="ConnectionState.Closed"/>.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "The subject is completed by Close and deliberately never disposed, so late readers still see Closed; it holds no unmanaged resources.")]
internal sealed class ConnectionStateSubject
{
    private readonly BehaviorSubject<ConnectionState> _subject = new(ConnectionState.Connected);
    private readonly object _gate = new();
    private ConnectionState _current = ConnectionState.Connected;

    public ConnectionState Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    public IObservable<ConnectionState> Changes => _subject.AsObservable();

    /// <summary>Moves to <paramref name="next"/> when that is a valid move from the current state; returns whether it moved.</summary>
    public bool Report(ConnectionState next)
    {
        lock (_gate)
        {
            var current = _current;
            var allowed = (current, next) switch
            {
                (ConnectionState.Closed, _) => false,
                _ when current == next => false,
                (ConnectionState.Lost, ConnectionState.Suspended) => false,
                (ConnectionState.Lost, ConnectionState.Connected) => false,
                (ConnectionState.Connected or ConnectionState.Reconnected, ConnectionState.Reconnected) => false,
                _ => true,
            };
            if (allowed)
            {
                _current = next;
                _subject.OnNext(next);
            }

            return allowed;
        }
    }

    /// <summary>Reports <see cref="ConnectionState.Closed"/> and completes the stream (the subject is never disposed, so late readers still see Closed).</summary>
    public void Close()
    {
        lock (_gate)
        {
            if (_current != ConnectionState.Closed)
            {
                _current = ConnectionState.Closed;
                _subject.OnNext(ConnectionState.Closed);
                _subject.OnCompleted();
            }
        }
    }
}
