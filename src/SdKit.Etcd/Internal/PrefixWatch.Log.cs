using Microsoft.Extensions.Logging;

namespace SdKit.Etcd;

/// <summary>Log messages of a prefix watch.</summary>
internal sealed partial class PrefixWatch
{
    private static partial class Log
    {
        [LoggerMessage(202, LogLevel.Information, "Revision {Revision} of the etcd watch of '{Prefix}' was compacted (compact revision {CompactRevision}); listing again", EventName = "WatchCompacted")]
        public static partial void Compacted(ILogger logger, string prefix, long revision, long compactRevision);
    }
}
