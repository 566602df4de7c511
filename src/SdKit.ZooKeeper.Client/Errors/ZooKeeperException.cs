namespace SdKit.ZooKeeper.Client;

/// <summary>
/// A failure reported by ZooKeeper or by the session: carries the <see cref="ZooKeeperErrorCode"/> and the path
/// involved. Specific codes have their own subclasses (<see cref="NoNodeException"/>, <see cref="SessionExpiredException"/>, ...).
/// It is the root of every exception the client throws (besides argument, cancellation and disposal errors), and
/// derives from <see cref="Exception"/> only: the client stands alone, without SdKit's discovery core.
/// </summary>
public class ZooKeeperException : Exception
{
    /// <summary>Initializes a new exception for <paramref name="code"/> on <paramref name="path"/>.</summary>
    /// <param name="code">The error code.</param>
    /// <param name="path">The path of the operation, or <see langword="null"/> for session-level failures.</param>
    /// <param name="message">The message; a default naming the code and path is used when <see langword="null"/>.</param>
    /// <param name="innerException">The cause.</param>
    public ZooKeeperException(ZooKeeperErrorCode code, string? path, string? message = null, Exception? innerException = null)
        : base(message ?? DefaultMessage(code, path), innerException)
    {
        Code = code;
        Path = path;
    }

    /// <summary>Gets the error code.</summary>
    public ZooKeeperErrorCode Code { get; }

    /// <summary>Gets the path of the failed operation, when there is one.</summary>
    public string? Path { get; }

    /// <summary>
    /// Gets a value indicating whether trying again may succeed: connection loss, timeouts, throttling and session
    /// movement are transient; refusals such as <see cref="ZooKeeperErrorCode.NoNode"/> are not.
    /// </summary>
    public virtual bool IsTransient => Code is ZooKeeperErrorCode.ConnectionLoss or ZooKeeperErrorCode.OperationTimeout
        or ZooKeeperErrorCode.RequestTimeout or ZooKeeperErrorCode.Throttled or ZooKeeperErrorCode.SessionMoved
        or ZooKeeperErrorCode.SessionExpired;

    /// <summary>Creates the typed exception for <paramref name="code"/>.</summary>
    /// <param name="code">The error code.</param>
    /// <param name="path">The path of the operation, or <see langword="null"/>.</param>
    /// <param name="message">An optional message; the default names the code and path.</param>
    /// <param name="innerException">The cause.</param>
    /// <returns>The most specific exception type for the code.</returns>
    public static ZooKeeperException Create(ZooKeeperErrorCode code, string? path, string? message = null, Exception? innerException = null) => code switch
    {
        ZooKeeperErrorCode.NoNode => new NoNodeException(path, message, innerException),
        ZooKeeperErrorCode.NodeExists => new NodeExistsException(path, message, innerException),
        ZooKeeperErrorCode.BadVersion => new BadVersionException(path, message, innerException),
        ZooKeeperErrorCode.NotEmpty => new NotEmptyException(path, message, innerException),
        ZooKeeperErrorCode.NoAuth => new NoAuthException(path, message, innerException),
        ZooKeeperErrorCode.NoChildrenForEphemerals => new NoChildrenForEphemeralsException(path, message, innerException),
        ZooKeeperErrorCode.InvalidAcl => new InvalidAclException(path, message, innerException),
        ZooKeeperErrorCode.ConnectionLoss => new ConnectionLossException(path, message, innerException),
        ZooKeeperErrorCode.SessionExpired => new SessionExpiredException(path, message, innerException),
        ZooKeeperErrorCode.AuthFailed => new AuthFailedException(path, message, innerException),
        ZooKeeperErrorCode.Closing => new ClientClosedException(path, message, innerException),
        ZooKeeperErrorCode.NoWatcher => new NoWatcherException(path, message, innerException),
        ZooKeeperErrorCode.NotReadOnly => new NotReadOnlyException(path, message, innerException),
        ZooKeeperErrorCode.SessionMoved => new SessionMovedException(path, message, innerException),
        ZooKeeperErrorCode.Unimplemented => new UnimplementedException(path, message, innerException),
        ZooKeeperErrorCode.BadArguments => new BadArgumentsException(path, message, innerException),
        ZooKeeperErrorCode.MarshallingError => new MarshallingErrorException(path, message, innerException),
        ZooKeeperErrorCode.Throttled => new ThrottledException(path, message, innerException),
        ZooKeeperErrorCode.QuotaExceeded => new QuotaExceededException(path, message, innerException),
        ZooKeeperErrorCode.OperationTimeout or ZooKeeperErrorCode.RequestTimeout => new OperationTimeoutException(code, path, message, innerException),
        _ => new ZooKeeperException(code, path, message, innerException),
    };

    private static string DefaultMessage(ZooKeeperErrorCode code, string? path)
        => path is null ? $"ZooKeeper error {code} ({(int)code})." : $"ZooKeeper error {code} ({(int)code}) for '{path}'.";
}
