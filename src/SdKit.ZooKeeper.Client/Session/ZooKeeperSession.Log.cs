using Microsoft.Extensions.Logging;

namespace SdKit.ZooKeeper.Client.Session;

/// <summary>The session's log messages.</summary>
internal sealed partial class ZooKeeperSession
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "ZooKeeper session 0x{SessionId:x} connected to {Server} (timeout {TimeoutMs} ms, {WatchBatches} SetWatches batches)", EventName = "Connected")]
        public static partial void Connected(ILogger logger, string server, long sessionId, int timeoutMs, int watchBatches);

        [LoggerMessage(2, LogLevel.Warning, "ZooKeeper connection to {Server} lost (session 0x{SessionId:x}): {Reason}", EventName = "Disconnected")]
        public static partial void Disconnected(ILogger logger, string server, long sessionId, string reason);

        [LoggerMessage(3, LogLevel.Debug, "Could not connect to ZooKeeper server {Server}: {Reason}", EventName = "ConnectFailed")]
        public static partial void ConnectFailed(ILogger logger, string server, string reason);

        [LoggerMessage(4, LogLevel.Warning, "ZooKeeper session 0x{SessionId:x} expired; opening a new session: {Reconnect}", EventName = "Expired")]
        public static partial void Expired(ILogger logger, long sessionId, bool reconnect);

        [LoggerMessage(5, LogLevel.Error, "ZooKeeper authentication failed; the client stopped: {Reason}", EventName = "AuthFailed")]
        public static partial void AuthFailed(ILogger logger, string reason);

        [LoggerMessage(6, LogLevel.Warning, "Re-arming watches with SetWatches failed: {Reason}", EventName = "SetWatchesFailed")]
        public static partial void SetWatchesFailed(ILogger logger, string reason);

        [LoggerMessage(7, LogLevel.Debug, "closeSession for 0x{SessionId:x} got no reply", EventName = "CloseSessionFailed")]
        public static partial void CloseSessionFailed(ILogger logger, long sessionId, Exception exception);

        [LoggerMessage(8, LogLevel.Trace, "Watch notification {EventType} for '{Path}'", EventName = "Notification")]
        public static partial void Notification(ILogger logger, WatchedEventType eventType, string path);
    }
}
