using SdKit.Client;

namespace SdKit.Registration;

/// <summary>Tells failures worth retrying from refusals that will repeat.</summary>
internal static class FailureKinds
{
    /// <summary>Returns whether trying again later may succeed.</summary>
    internal static bool IsTransient(Exception exception) => exception switch
    {
        DiscoveryException discovery => discovery.IsTransient,
        ArgumentException or ObjectDisposedException or InvalidOperationException or NotSupportedException or UnauthorizedAccessException => false,
        _ => true,
    };
}
