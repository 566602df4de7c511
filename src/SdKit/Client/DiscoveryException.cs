namespace SdKit.Client;

/// <summary>
/// The base of every failure a discovery backend reports: the registry could not be reached, refused a request,
/// or answered with something the client could not use. Backends derive their own typed exceptions from it.
/// </summary>
public class DiscoveryException : Exception
{
    /// <summary>Initializes a new exception.</summary>
    public DiscoveryException()
    {
    }

    /// <summary>Initializes a new exception with a message.</summary>
    /// <param name="message">What failed, naming the path or key involved.</param>
    public DiscoveryException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new exception with a message and its cause.</summary>
    /// <param name="message">What failed, naming the path or key involved.</param>
    /// <param name="innerException">The cause.</param>
    public DiscoveryException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// Gets a value indicating whether trying again later may succeed (a lost connection, a timeout), as opposed
    /// to a refusal that will repeat (bad input, no permission).
    /// </summary>
    public virtual bool IsTransient => false;
}
