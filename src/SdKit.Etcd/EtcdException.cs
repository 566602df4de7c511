using SdKit.Client;

namespace SdKit.Etcd;

/// <summary>
/// etcd could not be reached, did not answer within the deadline, or refused a request (bad credentials, no
/// permission, a lease that is gone). The message names the endpoints and the key or prefix involved. When etcd did
/// not answer in time, <see cref="Exception.InnerException"/> is a <see cref="TimeoutException"/>.
/// </summary>
public sealed class EtcdException : DiscoveryException
{
    private readonly bool _isTransient;

    /// <summary>Initializes a new exception.</summary>
    public EtcdException()
    {
    }

    /// <summary>Initializes a new exception with a message.</summary>
    /// <param name="message">What failed.</param>
    public EtcdException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new exception with a message and its cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public EtcdException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new exception that says whether trying again may succeed.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    /// <param name="isTransient">Whether trying again later may succeed.</param>
    public EtcdException(string message, Exception? innerException, bool isTransient)
        : base(message, innerException) => _isTransient = isTransient;

    /// <inheritdoc/>
    public override bool IsTransient => _isTransient;
}
