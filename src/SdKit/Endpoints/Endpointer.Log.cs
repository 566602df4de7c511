using Microsoft.Extensions.Logging;

namespace SdKit.Endpoints;

/// <summary>Source-generated log messages of <see cref="Endpointer{T}"/> (kept out of the generic type).</summary>
internal static partial class EndpointerLog
{
    [LoggerMessage(EventId = 1300, Level = LogLevel.Warning, Message = "The endpoint factory failed for '{Instance}'; it is left out and tried again on the next event.")]
    internal static partial void FactoryFailed(ILogger logger, string instance, Exception exception);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "The instancer reported an error; keeping {Count} last known instances for now.")]
    internal static partial void InstancerError(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning, Message = "The instancer error outlived the invalidation timeout; closed {Count} endpoints until the next good event.")]
    internal static partial void Invalidated(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Warning, Message = "Disposing the closer of a removed endpoint failed.")]
    internal static partial void CloserFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Error, Message = "A subscriber of endpoint sets threw; it keeps receiving sets.")]
    internal static partial void SubscriberFailed(ILogger logger, Exception exception);
}
