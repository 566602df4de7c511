namespace SdKit.ZooKeeper.Client;

/// <summary>The state of a <see cref="ZooKeeperClient"/>'s session.</summary>
public enum ZooKeeperSessionState
{
    /// <summary>Not connected yet (only before <see cref="ZooKeeperClient.ConnectAsync"/> returns).</summary>
    Connecting,

    /// <summary>Connected to a server, with the session in <see cref="ZooKeeperClient.SessionId"/>.</summary>
    Connected,

    /// <summary>
    /// The connection was lost; the client is reconnecting with the same session. Ephemeral nodes and watches are
    /// still there if it succeeds within the session timeout.
    /// </summary>
    Disconnected,

    /// <summary>
    /// The session expired: its ephemeral nodes and watches are gone. Unless
    /// <see cref="ZooKeeperClientOptions.ReconnectAfterExpiry"/> is off, <see cref="Connected"/> follows with a new
    /// <see cref="ZooKeeperClient.SessionId"/>: that transition is the signal to register again.
    /// </summary>
    Expired,

    /// <summary>The server refused the credentials; the client stopped.</summary>
    AuthFailed,

    /// <summary>The client was disposed. No further state follows.</summary>
    Closed,

    /// <summary>Connected to a read-only server (one that lost its quorum); writes fail with <see cref="NotReadOnlyException"/>.</summary>
    ConnectedReadOnly,
}
