namespace SdKit.ZooKeeper.Client;

/// <summary>
/// ZooKeeper's error codes, with their wire values (the <c>err</c> field of a reply header, KeeperException.Code).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1008:Enums should have zero value", Justification = "Ok is the wire value 0.")]
public enum ZooKeeperErrorCode
{
    /// <summary>No error.</summary>
    Ok = 0,

    /// <summary>A range marker for system errors; never sent.</summary>
    SystemError = -1,

    /// <summary>A multi op after the failing one was not applied.</summary>
    RuntimeInconsistency = -2,

    /// <summary>The server found its data inconsistent.</summary>
    DataInconsistency = -3,

    /// <summary>The connection to the server was lost; the request may or may not have been applied.</summary>
    ConnectionLoss = -4,

    /// <summary>The server could not parse the request.</summary>
    MarshallingError = -5,

    /// <summary>The server does not implement the operation (for example TTL nodes when extended types are off).</summary>
    Unimplemented = -6,

    /// <summary>The operation timed out.</summary>
    OperationTimeout = -7,

    /// <summary>Invalid arguments, for example an invalid path or create flags.</summary>
    BadArguments = -8,

    /// <summary>The session is unknown to the server.</summary>
    UnknownSession = -12,

    /// <summary>A reconfiguration could not reach a quorum of the new configuration.</summary>
    NewConfigNoQuorum = -13,

    /// <summary>Another reconfiguration is in progress.</summary>
    ReconfigInProgress = -14,

    /// <summary>A range marker for API errors; never sent.</summary>
    ApiError = -100,

    /// <summary>The node does not exist.</summary>
    NoNode = -101,

    /// <summary>The session lacks the permission the operation needs.</summary>
    NoAuth = -102,

    /// <summary>The expected version does not match the node's version.</summary>
    BadVersion = -103,

    /// <summary>Ephemeral nodes may not have children.</summary>
    NoChildrenForEphemerals = -108,

    /// <summary>The node already exists.</summary>
    NodeExists = -110,

    /// <summary>The node has children and cannot be deleted.</summary>
    NotEmpty = -111,

    /// <summary>The session has expired: its ephemeral nodes and watches are gone.</summary>
    SessionExpired = -112,

    /// <summary>An invalid callback was passed (client API only).</summary>
    InvalidCallback = -113,

    /// <summary>The ACL is invalid (empty, or the <c>auth</c> scheme without any authenticated identity).</summary>
    InvalidAcl = -114,

    /// <summary>Authentication failed; the server closes the connection.</summary>
    AuthFailed = -115,

    /// <summary>The client is closing (client-side code).</summary>
    Closing = -116,

    /// <summary>The session moved to another server connection.</summary>
    SessionMoved = -118,

    /// <summary>A write was sent to a read-only server.</summary>
    NotReadOnly = -119,

    /// <summary>An ephemeral node cannot be created on a local session.</summary>
    EphemeralOnLocalSession = -120,

    /// <summary>There is no watch to remove.</summary>
    NoWatcher = -121,

    /// <summary>The request timed out.</summary>
    RequestTimeout = -122,

    /// <summary>Dynamic reconfiguration is disabled.</summary>
    ReconfigDisabled = -123,

    /// <summary>The server requires SASL authentication and closed the session.</summary>
    SessionClosedRequireSaslAuth = -124,

    /// <summary>A quota was exceeded.</summary>
    QuotaExceeded = -125,

    /// <summary>The server is overloaded and throttled the operation; retry with backoff.</summary>
    Throttled = -127,
}
