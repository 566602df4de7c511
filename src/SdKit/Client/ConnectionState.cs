namespace SdKit.Client;

/// <summary>
/// The state of a discovery client's connection to its registry, with Curator's meaning of each state.
/// </summary>
public enum ConnectionState
{
    /// <summary>Connected, with the session or lease that was first established.</summary>
    Connected,

    /// <summary>
    /// The connection is down but the session or lease may still be alive: registered entries probably still exist,
    /// watches will resume. Treat what you know as stale.
    /// </summary>
    Suspended,

    /// <summary>
    /// The session expired or the lease is gone: every entry registered through this client has been removed by the
    /// registry. The client keeps trying and reports <see cref="Reconnected"/> once it can register again.
    /// </summary>
    Lost,

    /// <summary>
    /// Connected again, after <see cref="Suspended"/> (same session, entries intact) or after <see cref="Lost"/>
    /// (a new session or lease: entries must be registered again).
    /// </summary>
    Reconnected,

    /// <summary>The client was disposed. No further state follows.</summary>
    Closed,
}
