using Microsoft.Extensions.Logging;

namespace SdKit.Instances;

/// <content>Source-generated log messages.</content>
public sealed partial class Instancer
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Warning, Message = "Watching '{ServicePath}' failed (attempt {Attempt}); watching again in {Delay}. Subscribers keep the last known instances.")]
    private static partial void LogWatchFailed(ILogger logger, string servicePath, int attempt, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Watching '{ServicePath}' again after {Attempts} failed attempts.")]
    private static partial void LogWatchRecovered(ILogger logger, string servicePath, int attempts);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Debug, Message = "'{ServicePath}' now has {Count} instances (error: {HasError}).")]
    private static partial void LogPublished(ILogger logger, string servicePath, int count, bool hasError);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Error, Message = "A subscriber of '{ServicePath}' threw; it keeps receiving events and nobody else was delayed.")]
    private static partial void LogSubscriberFailed(ILogger logger, string servicePath, Exception exception);
}
