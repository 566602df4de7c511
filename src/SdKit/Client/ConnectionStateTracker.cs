using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SdKit.Instances;

namespace SdKit.Client;

/// <summary>
/// A discovery client's <see cref="ConnectionState"/> and its stream, with the transition rules every backend
/// shares. A backend reports what it observed; the tracker takes only the moves that mean something and drops the
/// rest, so every subscriber sees the same ordered, deduplicated sequence of states.
/// </summary>
/// <remarks>
/// <para>The rules (see <see cref="IsAllowed"/>): nothing follows <see cref="ConnectionState.Closed"/>; a repeat of the
/// current state is dropped; <see cref="ConnectionState.Lost"/> stays until <see cref="ConnectionState.Reconnected"/>
/// or <see cref="ConnectionState.Closed"/> (a failing request meanwhile must not turn it into
/// <see cref="ConnectionState.Suspended"/>, or a registrar would miss that it has to register again);
/// <see cref="ConnectionState.Reconnected"/> only follows <see cref="ConnectionState.Suspended"/> or
/// <see cref="ConnectionState.Lost"/>.</para>
/// <para>A subscriber receives the current state at once (on the subscribing thread), then every later state in the
/// order the reports were taken, on the thread pool, one at a time. Each subscriber has its own queue: no observer is
/// called under the tracker's lock or on the reporting thread, so a slow, blocking or throwing subscriber delays
/// neither the backend nor any other subscriber. After <see cref="ConnectionState.Closed"/> the stream completes; a
/// later subscriber only sees the completion, while <see cref="Current"/> stays <see cref="ConnectionState.Closed"/>.</para>
/// <para>All members are thread-safe.</para>
/// </remarks>
public sealed partial class ConnectionStateTracker
{
    private readonly object _gate = new();
    private readonly Broadcaster<ConnectionState> _changes;
    private ConnectionState _current;

    /// <summary>Initializes a tracker in state <see cref="ConnectionState.Connected"/> that logs nothing.</summary>
    public ConnectionStateTracker()
        : this(ConnectionState.Connected, null)
    {
    }

    /// <summary>Initializes a tracker in state <see cref="ConnectionState.Connected"/>.</summary>
    /// <param name="logger">Where a subscriber that throws is logged; nothing is logged when <see langword="null"/>.</param>
    /// <remarks>No optional parameter here: one overload with optional parameters keeps later additions binary compatible (RS0026).</remarks>
    public ConnectionStateTracker(ILogger? logger)
        : this(ConnectionState.Connected, logger)
    {
    }

    /// <summary>Initializes a tracker in state <paramref name="initial"/>.</summary>
    /// <param name="initial">The first state, for example <see cref="ConnectionState.Suspended"/> for a client that is still connecting.</param>
    /// <param name="logger">Where a subscriber that throws is logged; nothing is logged when <see langword="null"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="initial"/> is <see cref="ConnectionState.Closed"/> or not a defined state.</exception>
    public ConnectionStateTracker(ConnectionState initial, ILogger? logger = null)
    {
        ThrowIfUndefined(initial);
        if (initial == ConnectionState.Closed)
        {
            throw new ArgumentOutOfRangeException(nameof(initial), initial, "A connection state tracker cannot start Closed; create it open and call Close().");
        }

        var log = logger ?? NullLogger.Instance;
        _current = initial;
        _changes = new Broadcaster<ConnectionState>(initial, ex => LogSubscriberFailed(log, ex));
    }

    /// <summary>Gets the current state.</summary>
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

    /// <summary>Gets the stream of states: the current one at once, then every change, completed after <see cref="ConnectionState.Closed"/>.</summary>
    public IObservable<ConnectionState> Changes => _changes;

    /// <summary>Whether a tracker in state <paramref name="current"/> moves to <paramref name="next"/> when it is reported.</summary>
    /// <param name="current">The state before the report.</param>
    /// <param name="next">The reported state.</param>
    /// <returns><see langword="true"/> when the move is taken.</returns>
    public static bool IsAllowed(ConnectionState current, ConnectionState next) => (current, next) switch
    {
        (ConnectionState.Closed, _) => false,
        _ when current == next => false,
        (ConnectionState.Lost, ConnectionState.Suspended or ConnectionState.Connected) => false,
        (ConnectionState.Connected or ConnectionState.Reconnected, ConnectionState.Reconnected) => false,
        _ => true,
    };

    /// <summary>
    /// Moves to <paramref name="next"/> when <see cref="IsAllowed"/> says so and queues it to every subscriber;
    /// reporting <see cref="ConnectionState.Closed"/> is <see cref="Close"/>.
    /// </summary>
    /// <param name="next">The state the backend observed.</param>
    /// <returns>Whether the state changed.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="next"/> is not a defined state.</exception>
    public bool Report(ConnectionState next)
    {
        ThrowIfUndefined(next);
        lock (_gate)
        {
            if (!IsAllowed(_current, next))
            {
                return false;
            }

            // Publishing only enqueues (subscribers are served on the thread pool), so doing it under the lock is what
            // keeps every subscriber's order equal to the order the moves were taken in, at no risk of a deadlock.
            _current = next;
            _changes.Publish(next);
            if (next == ConnectionState.Closed)
            {
                _changes.Complete();
            }

            return true;
        }
    }

    /// <summary>Moves to <see cref="ConnectionState.Closed"/> and completes the stream; later reports are ignored.</summary>
    /// <returns><see langword="true"/> when this call closed the tracker, <see langword="false"/> when it was closed already.</returns>
    public bool Close() => Report(ConnectionState.Closed);

    private static void ThrowIfUndefined(ConnectionState state, [CallerArgumentExpression(nameof(state))] string? parameter = null)
    {
        if (!Enum.IsDefined(state))
        {
            throw new ArgumentOutOfRangeException(parameter, state, $"{(int)state} is not a defined {nameof(ConnectionState)}.");
        }
    }
}
