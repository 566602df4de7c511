using SdKit.Client;

namespace SdKit.Hosting.ServiceDiscovery;

/// <summary>
/// Thrown to an HttpClient call to <c>http://{service}</c> when SdKit knows no instance of the service because the
/// registry has not answered (unreachable at startup, slower than <c>SdKit:FirstSnapshotTimeout</c>) or cannot be read,
/// and no <c>SdKit:FallbackInstances:{service}</c> are configured. Calls keep failing fast with it until the registry
/// answers; the next call after that resolves again. A service the registry reports empty is not this: that is
/// Microsoft.Extensions.ServiceDiscovery's own "no endpoints" error.
/// </summary>
public sealed class RegistryUnavailableException : DiscoveryException
{
    /// <summary>Initializes a new exception.</summary>
    public RegistryUnavailableException()
        : this("The registry is unavailable and no instance of the service is known.")
    {
    }

    /// <summary>Initializes a new exception with a message.</summary>
    /// <param name="message">What failed.</param>
    public RegistryUnavailableException(string message)
        : base(message)
    {
        ServiceName = string.Empty;
        ServicePath = string.Empty;
    }

    /// <summary>Initializes a new exception with a message and its cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The registry's error, if it reported one.</param>
    public RegistryUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
        ServiceName = string.Empty;
        ServicePath = string.Empty;
    }

    /// <summary>Initializes a new exception for one service.</summary>
    /// <param name="serviceName">The name the call used (<c>hello</c> in <c>http://hello</c>).</param>
    /// <param name="servicePath">The path SdKit watches for it.</param>
    /// <param name="message">What failed, naming both and the setting that would help.</param>
    /// <param name="innerException">The registry's error, if it reported one.</param>
    public RegistryUnavailableException(string serviceName, string servicePath, string message, Exception? innerException)
        : base(message, innerException)
    {
        ServiceName = serviceName;
        ServicePath = servicePath;
    }

    /// <summary>Gets the service name the call used.</summary>
    public string ServiceName { get; }

    /// <summary>Gets the service path SdKit watches for it.</summary>
    public string ServicePath { get; }

    /// <inheritdoc/>
    /// <remarks>Always <see langword="true"/>: the call succeeds once the registry answers.</remarks>
    public override bool IsTransient => true;
}
