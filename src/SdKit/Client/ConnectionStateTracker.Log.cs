using Microsoft.Extensions.Logging;

namespace SdKit.Client;

/// <content>Source-generated log messages.</content>
public sealed partial class ConnectionStateTracker
{
    [LoggerMessage(EventId = 1500, Level = LogLevel.Error, Message = "A subscriber of the connection state threw; it keeps receiving states and nobody else was delayed.")]
    private static partial void LogSubscriberFailed(ILogger logger, Exception exception);
}
