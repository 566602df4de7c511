using SdKit.Client;

namespace SdKit.ZooKeeper;

/// <summary>
/// The server sent something that does not follow the wire protocol (a truncated or oversized frame, a length that
/// does not fit, an unexpected xid). The client drops the connection and reconnects; pending requests fail with
/// <see cref="ConnectionLossException"/> carrying this as the inner exception.
/// </summary>
public sealed class ZooKeeperProtocolException : DiscoveryException
{
    /// <summary>Initializes a new exception.</summary>
    public ZooKeeperProtocolException()
    {
    }

    /// <summary>Initializes a new exception with a message.</summary>
    /// <param name="message">What was wrong with the frame.</param>
    public ZooKeeperProtocolException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new exception with a message and its cause.</summary>
    /// <param name="message">What was wrong with the frame.</param>
    /// <param name="innerException">The cause.</param>
    public ZooKeeperProtocolException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <inheritdoc/>
    public override bool IsTransient => true;
}
