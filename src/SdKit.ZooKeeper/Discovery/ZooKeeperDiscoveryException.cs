using SdKit.Client;

namespace SdKit.ZooKeeper.Discovery;

/// <summary>
/// A ZooKeeper failure as the discovery contract reports it: a <see cref="DiscoveryException"/> whose
/// <see cref="Exception.InnerException"/> is the client's <see cref="ZooKeeperException"/> (for example a
/// <see cref="NodeExistsException"/> or a <see cref="SessionExpiredException"/>), with the same message.
/// The ZooKeeper client stands alone and knows nothing of SdKit, so this is where its failures meet the core's.
/// </summary>
public sealed class ZooKeeperDiscoveryException : DiscoveryException
{
    private readonly bool _isTransient;

    /// <summary>Initializes a new exception.</summary>
    public ZooKeeperDiscoveryException()
    {
    }

    /// <summary>Initializes a new exception with a message.</summary>
    /// <param name="message">What failed, naming the path involved.</param>
    public ZooKeeperDiscoveryException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new exception with a message and its cause.</summary>
    /// <param name="message">What failed, naming the path involved.</param>
    /// <param name="innerException">The cause; when it is a <see cref="ZooKeeperException"/> its code, path and transience are carried.</param>
    public ZooKeeperDiscoveryException(string message, Exception? innerException)
        : base(message, innerException)
    {
        _isTransient = innerException is ZooKeeperException { IsTransient: true };
    }

    /// <summary>Initializes the discovery failure for what the ZooKeeper client reported.</summary>
    /// <param name="failure">The client's exception; its message becomes this one's.</param>
    public ZooKeeperDiscoveryException(ZooKeeperException failure)
        : this((failure ?? throw new ArgumentNullException(nameof(failure))).Message, failure)
    {
    }

    /// <summary>Gets the ZooKeeper error code of the cause, or <see cref="ZooKeeperErrorCode.SystemError"/> when the cause is not a ZooKeeper failure.</summary>
    public ZooKeeperErrorCode Code => (InnerException as ZooKeeperException)?.Code ?? ZooKeeperErrorCode.SystemError;

    /// <summary>Gets the node path of the failed operation, when the cause names one.</summary>
    public string? Path => (InnerException as ZooKeeperException)?.Path;

    /// <inheritdoc/>
    /// <remarks>As the cause says: connection loss, timeouts, throttling, session movement and expiry are transient.</remarks>
    public override bool IsTransient => _isTransient;
}
