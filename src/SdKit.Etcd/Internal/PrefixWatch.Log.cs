using Microsoft.Extensions.Logging;

namespace SdKit.Etcd;

/// <summary>Log messages of a prefix watch.</summary>
internal sealed partial class PrefixWatch
{
    private static partial class Log
    {
        [LoggerMessage(200, LogLevel.Warning, "The etcd watch of '{Prefix}' broke; resuming from revision {Revision} in {PauseMs:0} ms: {Error}", EventName = "WatchResuming")]
        public static partial void Resuming(ILogger logger, string prefix, long revision, double pauseMs, string error);

        [LoggerMessage(201, LogLevel.Warning, "The etcd watch of '{Prefix}' failed {Failures} times in a row; handing the failure to the caller", EventName = "WatchGaveUp")]
        public static partial void GaveUp(ILogger logger, string prefix, int failures, Exception error);

        [LoggerMessage(202, LogLevel.Information, "Revision {Revision} of the etcd watch of '{Prefix}' was compacted (compact revision {CompactRevision}); listing again", EventName = "WatchCompacted")]
        public static partial void Compacted(ILogger logger, string prefix, long revision, long compactRevision);
    }
}
