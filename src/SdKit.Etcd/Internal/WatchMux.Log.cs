using Microsoft.Extensions.Logging;

namespace SdKit.Etcd;

/// <summary>Log messages of the watch stream.</summary>
internal sealed partial class WatchMux
{
    private static partial class Log
    {
        [LoggerMessage(200, LogLevel.Debug, "The etcd watch of '{Prefix}' resumes from revision {Revision}", EventName = "WatchResuming")]
        public static partial void Resuming(ILogger logger, string prefix, long revision);

        [LoggerMessage(201, LogLevel.Warning, "The etcd watch of '{Prefix}' failed {Failures} times in a row; handing the failure to the caller", EventName = "WatchGaveUp")]
        public static partial void GaveUp(ILogger logger, string prefix, int failures, Exception error);

        [LoggerMessage(203, LogLevel.Warning, "The etcd watch stream to {Endpoints} broke; resuming its {Watches} watches from their last revisions in {PauseMs:0} ms: {Error}", EventName = "WatchStreamResuming")]
        public static partial void StreamResuming(ILogger logger, string endpoints, int watches, double pauseMs, string error);

        [LoggerMessage(204, LogLevel.Debug, "Opened the etcd watch stream to {Endpoints} with {Watches} watches", EventName = "WatchStreamOpened")]
        public static partial void StreamOpened(ILogger logger, string endpoints, int watches);

        [LoggerMessage(205, LogLevel.Debug, "Closed the etcd watch stream to {Endpoints}: no watch is left", EventName = "WatchStreamClosed")]
        public static partial void StreamClosed(ILogger logger, string endpoints);
    }
}
