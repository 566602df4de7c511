using SdKit.Client;

namespace SdKit.Endpoints;

/// <summary>
/// Thrown when endpoints are read after an instancer error outlived
/// <see cref="EndpointerOptions.InvalidateOnError"/>: the endpoints were closed, and the error that caused it is the
/// <see cref="Exception.InnerException"/>. The next good event from the instancer makes endpoints available again.
/// </summary>
public sealed class EndpointsUnavailableException : DiscoveryException
{
    /// <summary>Initializes a new exception.</summary>
    public EndpointsUnavailableException()
        : base("The endpoints are unavailable.")
    {
    }

    /// <summary>Initializes a new exception for the instancer error that invalidated the endpoints.</summary>
    /// <param name="innerException">The instancer's error.</param>
    public EndpointsUnavailableException(Exception? innerException)
        : base($"The endpoints were invalidated by an instancer error: {innerException?.Message}", innerException)
    {
    }

    /// <summary>Initializes a new exception with a message and its cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public EndpointsUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <inheritdoc/>
    public override bool IsTransient => true;
}
