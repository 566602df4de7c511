using Microsoft.Extensions.Logging;
using SdKit.Client;

namespace SdKit.ZooKeeper.Discovery;

/// <content>Log messages.</content>
public sealed partial class ZooKeeperDiscoveryClient
{
    internal static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "ZooKeeper discovery state {State} (session {Cause}, id 0x{SessionId:x})")]
        public static partial void StateChanged(ILogger logger, ConnectionState state, ZooKeeperSessionState cause, long sessionId);

        [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Registered {Instance} as {Path} (session 0x{SessionId:x})")]
        public static partial void Registered(ILogger logger, string path, string instance, long sessionId);

        [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Deregistered {Path}")]
        public static partial void Deregistered(ILogger logger, string path);

        [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Creating {Path} lost the connection (attempt {Attempt}); looking for the node before creating again")]
        public static partial void CreateRetry(ILogger logger, string path, int attempt, Exception error);

        [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Adopted {Path}, created by an attempt whose reply was lost (attempt {Attempt})")]
        public static partial void CreateRecovered(ILogger logger, string path, int attempt);

        [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Deleting {Path} lost the connection (attempt {Attempt}); trying again")]
        public static partial void DeleteRetry(ILogger logger, string path, int attempt, Exception error);

        [LoggerMessage(EventId = 7, Level = LogLevel.Debug, Message = "Created parent node {Path}")]
        public static partial void ParentCreated(ILogger logger, string path);

        [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "Skipping instance node {Path}: its ACL does not allow reading it")]
        public static partial void ChildUnreadable(ILogger logger, string path, Exception error);

        [LoggerMessage(EventId = 9, Level = LogLevel.Warning, Message = "The watch of {Path} failed; its {Subscribers} subscribers get the error and watch again")]
        public static partial void WatchFailed(ILogger logger, string path, int subscribers, Exception error);

        [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "The server does not know multiRead (ZooKeeper before 3.6) while reading {Path}; reading one node per request from now on")]
        public static partial void MultiReadUnsupported(ILogger logger, string path, Exception error);

        [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "The server does not know persistent watches (ZooKeeper before 3.6) while watching {Path}; using children watches from now on")]
        public static partial void PersistentWatchUnsupported(ILogger logger, string path, Exception error);

        [LoggerMessage(EventId = 12, Level = LogLevel.Debug, Message = "Reading {Path} again after the connection was lost: {Reason}")]
        public static partial void WatchResync(ILogger logger, string path, string reason);

        [LoggerMessage(EventId = 13, Level = LogLevel.Information, Message = "Updated instance node {Path} to '{Instance}' in place (data version {Version})")]
        public static partial void Updated(ILogger logger, string path, string instance, int version);

        [LoggerMessage(EventId = 14, Level = LogLevel.Warning, Message = "Updating {Path} lost the connection (attempt {Attempt}); checking whether it was applied and trying again")]
        public static partial void UpdateRetry(ILogger logger, string path, int attempt, Exception error);
    }
}
