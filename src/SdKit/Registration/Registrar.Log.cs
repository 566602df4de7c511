using Microsoft.Extensions.Logging;

namespace SdKit.Registration;

/// <content>Source-generated log messages.</content>
public sealed partial class Registrar
{
    [LoggerMessage(EventId = 1200, Level = LogLevel.Information, Message = "Registered '{Instance}' under '{ServicePath}' as '{Key}'.")]
    private static partial void LogRegistered(ILogger logger, string servicePath, string instance, string key);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "Registering '{Instance}' under '{ServicePath}' failed (attempt {Attempt}); trying again in {Delay}.")]
    private static partial void LogRegisterFailed(ILogger logger, string servicePath, string instance, int attempt, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "The registration of '{Instance}' under '{ServicePath}' was lost with the client's session or lease; registering again.")]
    private static partial void LogLost(ILogger logger, string servicePath, string instance);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Information, Message = "Registered '{Instance}' under '{ServicePath}' again as '{Key}' after {FailedAttempts} failed attempts.")]
    private static partial void LogReregistered(ILogger logger, string servicePath, string instance, string key, int failedAttempts);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Warning, Message = "Registering '{Instance}' under '{ServicePath}' again failed (attempt {Attempt}); backing off.")]
    private static partial void LogReregisterFailed(ILogger logger, string servicePath, string instance, int attempt, Exception exception);

    [LoggerMessage(EventId = 1205, Level = LogLevel.Information, Message = "Deregistered '{Instance}' under '{ServicePath}' ('{Key}').")]
    private static partial void LogDeregistered(ILogger logger, string servicePath, string instance, string key);

    [LoggerMessage(EventId = 1206, Level = LogLevel.Warning, Message = "Deregistering '{Instance}' under '{ServicePath}' on dispose failed; the entry vanishes with the session or lease.")]
    private static partial void LogDeregisterOnDisposeFailed(ILogger logger, string servicePath, string instance, Exception exception);

    [LoggerMessage(EventId = 1207, Level = LogLevel.Error, Message = "The discovery client was closed; '{Instance}' under '{ServicePath}' is no longer registered and cannot be again.")]
    private static partial void LogClientClosed(ILogger logger, string servicePath, string instance);

    [LoggerMessage(EventId = 1208, Level = LogLevel.Debug, Message = "'{Instance}' under '{ServicePath}' is now {State}.")]
    private static partial void LogStateChanged(ILogger logger, string servicePath, string instance, RegistrationState state);

    [LoggerMessage(EventId = 1209, Level = LogLevel.Error, Message = "An observer of a registration state threw; it keeps receiving states.")]
    private static partial void LogObserverFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1210, Level = LogLevel.Information, Message = "Updated '{Previous}' under '{ServicePath}' to '{Instance}' in place ('{Key}').")]
    private static partial void LogUpdated(ILogger logger, string servicePath, string previous, string instance, string key);
}
