using System.Diagnostics;
using System.Globalization;
using SdKit.Client;

namespace SdKit.ZooKeeper.Discovery;

/// <summary>
/// The discovery client's spans on the <c>SdKit.ZooKeeper</c> source: one while the connection is down with the session
/// possibly alive (<see cref="SuspendedSpanName"/>), one from the loss of the session to a new one
/// (<see cref="LostSpanName"/>). Each is the root of its own trace: a session outlives any request.
/// </summary>
/// <remarks>
/// The standalone ZooKeeper protocol client has no source of its own: its requests are too many and too small to be
/// worth a span each, and what an operator follows (the session as discovery sees it) is decided here. Fed by the
/// <see cref="SessionStateMapper"/> under its lock, so the moves arrive one at a time and in order.
/// </remarks>
internal sealed class SessionSpans
{
    /// <summary>The name of the discovery backend's activity source.</summary>
    public const string SourceName = "SdKit.ZooKeeper";

    /// <summary>The span of a disconnection: from Suspended to Reconnected with the same session, or to Lost.</summary>
    public const string SuspendedSpanName = "sdkit.zookeeper.session.suspended";

    /// <summary>The span of a lost session: from Lost to Reconnected with a new session, or to Closed.</summary>
    public const string LostSpanName = "sdkit.zookeeper.session.lost";

    public const string SessionIdAttribute = "sdkit.zookeeper.session_id";
    public const string NewSessionIdAttribute = "sdkit.zookeeper.new_session_id";
    public const string CauseAttribute = "sdkit.zookeeper.cause";
    public const string OutcomeAttribute = "sdkit.outcome";

    private static readonly ActivitySource s_source = new(SourceName, typeof(SessionSpans).Assembly.GetName().Version?.ToString());

    private Activity? _suspended;
    private Activity? _lost;

    /// <summary>Applies one state move the mapper took.</summary>
    public void OnStateChanged(ConnectionState state, ZooKeeperSessionState cause, long sessionId)
    {
        switch (state)
        {
            case ConnectionState.Suspended:
                _suspended ??= Start(SuspendedSpanName, cause, sessionId);
                break;
            case ConnectionState.Lost:
                End(ref _suspended, "lost", ActivityStatusCode.Error, "The session was lost while disconnected.");
                _lost ??= Start(LostSpanName, cause, sessionId);
                break;
            case ConnectionState.Reconnected or ConnectionState.Connected:
                End(ref _suspended, "reconnected", ActivityStatusCode.Ok, null);
                _lost?.SetTag(NewSessionIdAttribute, Hex(sessionId));
                End(ref _lost, "new_session", ActivityStatusCode.Ok, null);
                break;
            case ConnectionState.Closed:
                End(ref _suspended, "closed", ActivityStatusCode.Error, "The client was closed while disconnected.");
                End(ref _lost, "closed", ActivityStatusCode.Error, "The client was closed before a new session was established.");
                break;
        }
    }

    private static Activity? Start(string name, ZooKeeperSessionState cause, long sessionId)
    {
        if (!s_source.HasListeners())
        {
            return null;
        }

        var ambient = Activity.Current;
        Activity.Current = null;
        try
        {
            var span = s_source.StartActivity(name, ActivityKind.Internal);
            span?.SetTag(SessionIdAttribute, Hex(sessionId));
            span?.SetTag(CauseAttribute, cause.ToString());
            return span;
        }
        finally
        {
            Activity.Current = ambient;
        }
    }

    private static void End(ref Activity? span, string outcome, ActivityStatusCode status, string? description)
    {
        if (span is null)
        {
            return;
        }

        span.SetTag(OutcomeAttribute, outcome);
        span.SetStatus(status, description);
        span.Dispose();
        span = null;
    }

    private static string Hex(long sessionId) => "0x" + sessionId.ToString("x", CultureInfo.InvariantCulture);
}
