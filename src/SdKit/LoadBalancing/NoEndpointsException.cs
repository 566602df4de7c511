using SdKit.Client;

namespace SdKit.LoadBalancing;

/// <summary>Thrown by a balancer whose endpoint set is empty (go-kit's <c>ErrNoEndpoints</c>).</summary>
public sealed class NoEndpointsException : DiscoveryException
{
    /// <summary>Initializes a new exception.</summary>
    public NoEndpointsException()
        : base("No endpoints are available: the service has no instances (or none the factory could use).")
    {
    }

    /// <summary>Initializes a new exception with a message.</summary>
    /// <param name="message">What failed.</param>
    public NoEndpointsException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new exception with a message and its cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public NoEndpointsException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets <see langword="true"/>: instances may appear later.</summary>
    public override bool IsTransient => true;
}
