namespace SdKit.ZooKeeper.Client;

/// <summary>
/// The server sent something that does not follow the wire protocol (a truncated or oversized frame, a length that
/// does not fit, an unexpected xid). The client drops the connection and reconnects; pending requests fail with
/// <see cref="ConnectionLossException"/> carrying this as the inner exception. Its <see cref="ZooKeeperException.Code"/>
/// is <see cref="ZooKeeperErrorCode.MarshallingError"/>.
/// </summary>
public sealed class ZooKeeperProtocolException : ZooKeeperException
{
    /// <summary>Initializes a new exception.</summary>
    public ZooKeeperProtocolException()
        : base(ZooKeeperErrorCode.MarshallingError, null)
    {
    }

    /// <summary>Initializes a new exception with a message.</summary>
    /// <param name="message">What was wrong with the frame.</param>
    public ZooKeeperProtocolException(string message)
        : base(ZooKeeperErrorCode.MarshallingError, null, message)
    {
    }

    /// <summary>Initializes a new exception with a message and its cause.</summary>
    /// <param name="message">What was wrong with the frame.</param>
    /// <param name="innerException">The cause.</param>
    public ZooKeeperProtocolException(string message, Exception? innerException)
        : base(ZooKeeperErrorCode.MarshallingError, null, message, innerException)
    {
    }

    /// <inheritdoc/>
    public override bool IsTransient => true;
}
