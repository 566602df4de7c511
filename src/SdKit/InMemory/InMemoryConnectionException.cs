using SdKit.Client;

namespace SdKit.InMemory;

/// <summary>
/// Thrown by an <see cref="InMemoryDiscoveryClient"/> whose connection is simulated as down
/// (<see cref="Client.ConnectionState.Suspended"/> or <see cref="Client.ConnectionState.Lost"/>): the in-memory
/// stand-in for a ZooKeeper connection loss or an unreachable etcd cluster. Always transient.
/// </summary>
public sealed class InMemoryConnectionException : DiscoveryException
{
    /// <summary>Initializes a new exception.</summary>
    public InMemoryConnectionException()
        : base("The in-memory discovery client is disconnected.")
    {
    }

    /// <summary>Initializes a new exception with a message.</summary>
    /// <param name="message">What failed.</param>
    public InMemoryConnectionException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new exception with a message and its cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public InMemoryConnectionException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <inheritdoc/>
    public override bool IsTransient => true;
}
