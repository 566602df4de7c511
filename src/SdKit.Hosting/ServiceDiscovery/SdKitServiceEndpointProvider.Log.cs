using Microsoft.Extensions.Logging;

namespace SdKit.Hosting.ServiceDiscovery;

/// <summary>The provider's log messages.</summary>
internal sealed partial class SdKitServiceEndpointProvider
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "No snapshot of '{ServicePath}' arrived within {Timeout}; resolving with what is known until the registry answers.", EventName = "FirstSnapshotTimedOut")]
        public static partial void FirstSnapshotTimedOut(ILogger logger, string servicePath, TimeSpan timeout);

        [LoggerMessage(2, LogLevel.Warning, "The instance '{Instance}' of '{ServicePath}' is neither a URI nor host:port; skipped.", EventName = "UnreadableInstance")]
        public static partial void UnreadableInstance(ILogger logger, string servicePath, string instance);

        [LoggerMessage(7, LogLevel.Warning, "An instance of '{ServicePath}' does not decode in the backend's instance format and is skipped: {Reason}", EventName = "UndecodableInstance")]
        public static partial void UndecodableInstance(ILogger logger, string servicePath, string reason);

        [LoggerMessage(3, LogLevel.Warning, "The registry could not be read for '{ServicePath}'; resolving with the {Count} instances last known.", EventName = "StaleInstances")]
        public static partial void StaleInstances(ILogger logger, Exception exception, string servicePath, int count);

        [LoggerMessage(4, LogLevel.Warning, "No instance of '{ServicePath}' is known and the registry has not answered; calling the fallback instances {Instances}.", EventName = "UsingFallback")]
        public static partial void UsingFallback(ILogger logger, Exception? exception, string servicePath, string instances);

        [LoggerMessage(5, LogLevel.Information, "The registry answered for '{ServicePath}' ({Count} instances); the fallback instances are no longer used.", EventName = "FallbackEnded")]
        public static partial void FallbackEnded(ILogger logger, string servicePath, int count);

        [LoggerMessage(6, LogLevel.Warning, "All {Count} instances of '{ServicePath}' are quarantined after connection failures; offering them all.", EventName = "AllQuarantined")]
        public static partial void AllQuarantined(ILogger logger, string servicePath, int count);
    }
}
