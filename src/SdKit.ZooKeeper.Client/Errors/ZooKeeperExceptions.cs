namespace SdKit.ZooKeeper.Client;

/// <summary>The node does not exist (or, for a create, its parent does not). Code <see cref="ZooKeeperErrorCode.NoNode"/>.</summary>
public sealed class NoNodeException : ZooKeeperException
{
    /// <summary>Initializes a new exception.</summary>
    /// <param name="path">The path of the operation, or <see langword="null"/>.</param>
    /// <param name="message">The message; the default names the code and path.</param>
    /// <param name="innerException">The cause.</param>
    public NoNodeException(string? path, string? message = null, Exception? innerException = null)
        : base(ZooKeeperErrorCode.NoNode, path, message, innerException)
    {
    }
}

/// <summary>The node already exists. Code <see cref="ZooKeeperErrorCode.NodeExists"/>.</summary>
public sealed class NodeExistsException : ZooKeeperException
{
    /// <summary>Initializes a new exception.</summary>
    /// <param name="path">The path of the operation, or <see langword="null"/>.</param>
    /// <param name="message">The message; the default names the code and path.</param>
    /// <param name="innerException">The cause.</param>
    public NodeExistsException(string? path, string? message = null, Exception? innerException = null)
        : base(ZooKeeperErrorCode.NodeExists, path, message, innerException)
    {
    }
}

/// <summary>The expected version did not match the node's version. Code <see cref="ZooKeeperErrorCode.BadVersion"/>.</summary>
public sealed class BadVersionException : ZooKeeperException
{
    /// <summary>Initializes a new exception.</summary>
    /// <param name="path">The path of the operation, or <see langword="null"/>.</param>
    /// <param name="message">The message; the default names the code and path.</param>
    /// <param name="innerException">The cause.</param>
    public BadVersionException(string? path, string? message = null, Exception? innerException = null)
        : base(ZooKeeperErrorCode.BadVersion, path, message, innerException)
    {
    }
}

/// <summary>The node has children and cannot be deleted. Code <see cref="ZooKeeperErrorCode.NotEmpty"/>.</summary>
public sealed class NotEmptyException : ZooKeeperException
{
    /// <summary>Initializes a new exception.</summary>
    /// <param name="path">The path of the operation, or <see langword="null"/>.</param>
    /// <param name="message">The message; the default names the code and path.</param>
    /// <param name="innerException">The cause.</param>
    public NotEmptyException(string? path, string? message = null, Exception? innerException = null)
        : base(ZooKeeperErrorCode.NotEmpty, path, message, innerException)
    {
    }
}

/// <summary>The session lacks the permission the operation needs (ACL denial). Code <see cref="ZooKeeperErrorCode.NoAuth"/>.</summary>
public sealed class NoAuthException : ZooKeeperException
{
    /// <summary>Initializes a new exception.</summary>
    /// <param name="path">The path of the operation, or <see langword="null"/>.</param>
    /// <param name="message">The message; the default names the code and path.</param>
    /// <param name="innerException">The cause.</param>
    public NoAuthException(string? path, string? message = null, Exception? innerException = null)
        : base(ZooKeeperErrorCode.NoAuth, path, message, innerException)
    {
    }
}

/// <summary>Ephemeral nodes may not have children. Code <see cref="ZooKeeperErrorCode.NoChildrenForEphemerals"/>.</summary>
public sealed class NoChildrenForEphemeralsException : ZooKeeperException
{
    /// <summary>Initializes a new exception.</summary>
    /// <param name="path">The path of the operation, or <see langword="null"/>.</param>
    /// <param name="message">The message; the default names the code and path.</param>
    /// <param name="innerException">The cause.</param>
    public NoChildrenForEphemeralsException(string? path, string? message = null, Exception? innerException = null)
        : base(ZooKeeperErrorCode.NoChildrenForEphemerals, path, message, innerException)
    {
    }
}

/// <summary>The ACL is empty or uses the <c>auth</c> scheme without an authenticated identity. Code <see cref="ZooKeeperErrorCode.InvalidAcl"/>.</summary>
public sealed class InvalidAclException : ZooKeeperException
{
    /// <summary>Initializes a new exception.</summary>
    /// <param name="path">The path of the operation, or <see langword="null"/>.</param>
    /// <param name="message">The message; the default names the code and path.</param>
    /// <param name="innerException">The cause.</param>
    public InvalidAclException(string? path, string? message = null, Exception? innerException = null)
        : base(ZooKeeperErrorCode.InvalidAcl, path, message, innerException)
    {
    }
}

/// <summary>The connection was lost (or could not be made); the request may or may not have been applied. The session may still be alive: the client is reconnecting. Code <see cref="ZooKeeperErrorCode.ConnectionLoss"/>.</summary>
public sealed class ConnectionLossException : ZooKeeperException
{
    /// <summary>Initializes a new exception.</summary>
    /// <param name="path">The path of the operation, or <see langword="null"/>.</param>
    /// <param name="message">The message; the default names the code and path.</param>
    /// <param name="innerException">The cause.</param>
    public ConnectionLossException(string? path, string? message = null, Exception? innerException = null)
        : base(ZooKeeperErrorCode.ConnectionLoss, path, message, innerException)
    {
    }
}

/// <summary>The session expired: its ephemeral nodes and watches are gone. Unless disabled, the client opens a new session. Code <see cref="ZooKeeperErrorCode.SessionExpired"/>.</summary>
public sealed class SessionExpiredException : ZooKeeperException
{
    /// <summary>Initializes a new exception.</summary>
    /// <param name="path">The path of the operation, or <see langword="null"/>.</param>
    /// <param name="message">The message; the default names the code and path.</param>
    /// <param name="innerException">The cause.</param>
    public SessionExpiredException(string? path, string? message = null, Exception? innerException = null)
        : base(ZooKeeperErrorCode.SessionExpired, path, message, innerException)
    {
    }
}

/// <summary>Authentication failed; the server closed the connection and the client stopped. Code <see cref="ZooKeeperErrorCode.AuthFailed"/>.</summary>
public sealed class AuthFailedException : ZooKeeperException
{
    /// <summary>Initializes a new exception.</summary>
    /// <param name="path">The path of the operation, or <see langword="null"/>.</param>
    /// <param name="message">The message; the default names the code and path.</param>
    /// <param name="innerException">The cause.</param>
    public AuthFailedException(string? path, string? message = null, Exception? innerException = null)
        : base(ZooKeeperErrorCode.AuthFailed, path, message, innerException)
    {
    }
}

/// <summary>The client was disposed before the operation finished, or the operation was started after it. Code <see cref="ZooKeeperErrorCode.Closing"/>.</summary>
public sealed class ClientClosedException : ZooKeeperException
{
    /// <summary>Initializes a new exception.</summary>
    /// <param name="path">The path of the operation, or <see langword="null"/>.</param>
    /// <param name="message">The message; the default names the code and path.</param>
    /// <param name="innerException">The cause.</param>
    public ClientClosedException(string? path, string? message = null, Exception? innerException = null)
        : base(ZooKeeperErrorCode.Closing, path, message, innerException)
    {
    }
}

/// <summary>There was no watch to remove. Code <see cref="ZooKeeperErrorCode.NoWatcher"/>.</summary>
public sealed class NoWatcherException : ZooKeeperException
{
    /// <summary>Initializes a new exception.</summary>
    /// <param name="path">The path of the operation, or <see langword="null"/>.</param>
    /// <param name="message">The message; the default names the code and path.</param>
    /// <param name="innerException">The cause.</param>
    public NoWatcherException(string? path, string? message = null, Exception? innerException = null)
        : base(ZooKeeperErrorCode.NoWatcher, path, message, innerException)
    {
    }
}

/// <summary>A write was sent while connected to a read-only server. Code <see cref="ZooKeeperErrorCode.NotReadOnly"/>.</summary>
public sealed class NotReadOnlyException : ZooKeeperException
{
    /// <summary>Initializes a new exception.</summary>
    /// <param name="path">The path of the operation, or <see langword="null"/>.</param>
    /// <param name="message">The message; the default names the code and path.</param>
    /// <param name="innerException">The cause.</param>
    public NotReadOnlyException(string? path, string? message = null, Exception? innerException = null)
        : base(ZooKeeperErrorCode.NotReadOnly, path, message, innerException)
    {
    }
}

/// <summary>The session moved to another connection. Code <see cref="ZooKeeperErrorCode.SessionMoved"/>.</summary>
public sealed class SessionMovedException : ZooKeeperException
{
    /// <summary>Initializes a new exception.</summary>
    /// <param name="path">The path of the operation, or <see langword="null"/>.</param>
    /// <param name="message">The message; the default names the code and path.</param>
    /// <param name="innerException">The cause.</param>
    public SessionMovedException(string? path, string? message = null, Exception? innerException = null)
        : base(ZooKeeperErrorCode.SessionMoved, path, message, innerException)
    {
    }
}

/// <summary>The server does not implement the operation (for example TTL nodes without extended types). Code <see cref="ZooKeeperErrorCode.Unimplemented"/>.</summary>
public sealed class UnimplementedException : ZooKeeperException
{
    /// <summary>Initializes a new exception.</summary>
    /// <param name="path">The path of the operation, or <see langword="null"/>.</param>
    /// <param name="message">The message; the default names the code and path.</param>
    /// <param name="innerException">The cause.</param>
    public UnimplementedException(string? path, string? message = null, Exception? innerException = null)
        : base(ZooKeeperErrorCode.Unimplemented, path, message, innerException)
    {
    }
}

/// <summary>The server refused the arguments (path or flags). Code <see cref="ZooKeeperErrorCode.BadArguments"/>.</summary>
public sealed class BadArgumentsException : ZooKeeperException
{
    /// <summary>Initializes a new exception.</summary>
    /// <param name="path">The path of the operation, or <see langword="null"/>.</param>
    /// <param name="message">The message; the default names the code and path.</param>
    /// <param name="innerException">The cause.</param>
    public BadArgumentsException(string? path, string? message = null, Exception? innerException = null)
        : base(ZooKeeperErrorCode.BadArguments, path, message, innerException)
    {
    }
}

/// <summary>The server could not parse the request. Code <see cref="ZooKeeperErrorCode.MarshallingError"/>.</summary>
public sealed class MarshallingErrorException : ZooKeeperException
{
    /// <summary>Initializes a new exception.</summary>
    /// <param name="path">The path of the operation, or <see langword="null"/>.</param>
    /// <param name="message">The message; the default names the code and path.</param>
    /// <param name="innerException">The cause.</param>
    public MarshallingErrorException(string? path, string? message = null, Exception? innerException = null)
        : base(ZooKeeperErrorCode.MarshallingError, path, message, innerException)
    {
    }
}

/// <summary>The server is overloaded and throttled the operation; retry with backoff. Code <see cref="ZooKeeperErrorCode.Throttled"/>.</summary>
public sealed class ThrottledException : ZooKeeperException
{
    /// <summary>Initializes a new exception.</summary>
    /// <param name="path">The path of the operation, or <see langword="null"/>.</param>
    /// <param name="message">The message; the default names the code and path.</param>
    /// <param name="innerException">The cause.</param>
    public ThrottledException(string? path, string? message = null, Exception? innerException = null)
        : base(ZooKeeperErrorCode.Throttled, path, message, innerException)
    {
    }
}

/// <summary>A quota was exceeded. Code <see cref="ZooKeeperErrorCode.QuotaExceeded"/>.</summary>
public sealed class QuotaExceededException : ZooKeeperException
{
    /// <summary>Initializes a new exception.</summary>
    /// <param name="path">The path of the operation, or <see langword="null"/>.</param>
    /// <param name="message">The message; the default names the code and path.</param>
    /// <param name="innerException">The cause.</param>
    public QuotaExceededException(string? path, string? message = null, Exception? innerException = null)
        : base(ZooKeeperErrorCode.QuotaExceeded, path, message, innerException)
    {
    }
}

/// <summary>The operation or request timed out. Codes <see cref="ZooKeeperErrorCode.OperationTimeout"/> and <see cref="ZooKeeperErrorCode.RequestTimeout"/>.</summary>
public sealed class OperationTimeoutException : ZooKeeperException
{
    /// <summary>Initializes a new exception.</summary>
    /// <param name="code">The timeout code.</param>
    /// <param name="path">The path of the operation, or <see langword="null"/>.</param>
    /// <param name="message">The message; the default names the code and path.</param>
    /// <param name="innerException">The cause.</param>
    public OperationTimeoutException(ZooKeeperErrorCode code, string? path, string? message = null, Exception? innerException = null)
        : base(code, path, message, innerException)
    {
    }
}
