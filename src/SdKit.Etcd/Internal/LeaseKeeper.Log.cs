using Microsoft.Extensions.Logging;

namespace SdKit.Etcd;

/// <summary>Log messages of the lease keeper.</summary>
internal sealed partial class LeaseKeeper
{
    private static partial class Log
    {
        [LoggerMessage(100, LogLevel.Information, "Granted etcd lease {Lease} with TTL {TtlSeconds} s", EventName = "LeaseGranted")]
        private static partial void LeaseGrantedCore(ILogger logger, string lease, long ttlSeconds);

        public static void LeaseGranted(ILogger logger, long lease, long ttlSeconds) => LeaseGrantedCore(logger, LeaseName(lease), ttlSeconds);

        [LoggerMessage(101, LogLevel.Warning, "etcd lease {Lease} is lost ({Reason}); granting a new one", EventName = "LeaseLost")]
        private static partial void LeaseLostCore(ILogger logger, string lease, string reason);

        public static void LeaseLost(ILogger logger, long lease, string reason) => LeaseLostCore(logger, LeaseName(lease), reason);

        [LoggerMessage(102, LogLevel.Warning, "Keep-alive of etcd lease {Lease} failed ({SilentSeconds:0.0} s since the last confirmation): {Error}", EventName = "KeepAliveFailed")]
        public static partial void KeepAliveFailed(ILogger logger, string lease, double silentSeconds, string error);

        [LoggerMessage(103, LogLevel.Information, "Keep-alive of etcd lease {Lease} works again", EventName = "KeepAliveRecovered")]
        public static partial void KeepAliveRecovered(ILogger logger, string lease);

        [LoggerMessage(104, LogLevel.Warning, "Could not grant a new etcd lease yet: {Error}", EventName = "RegrantFailed")]
        public static partial void RegrantFailed(ILogger logger, string error);

        [LoggerMessage(105, LogLevel.Information, "Revoked etcd lease {Lease}", EventName = "LeaseRevoked")]
        private static partial void LeaseRevokedCore(ILogger logger, string lease);

        public static void LeaseRevoked(ILogger logger, long lease) => LeaseRevokedCore(logger, LeaseName(lease));

        [LoggerMessage(106, LogLevel.Warning, "Could not revoke etcd lease {Lease} on dispose; its entries expire with its TTL", EventName = "RevokeOnDisposeFailed")]
        private static partial void RevokeOnDisposeFailedCore(ILogger logger, string lease, Exception error);

        public static void RevokeOnDisposeFailed(ILogger logger, long lease, Exception error) => RevokeOnDisposeFailedCore(logger, LeaseName(lease), error);

        [LoggerMessage(109, LogLevel.Warning, "A lease grant in flight when the client was stopped got no answer ({Error}); if etcd granted it, that lease expires with its TTL of {TtlSeconds} s", EventName = "GrantUnansweredOnStop")]
        public static partial void GrantUnansweredOnStop(ILogger logger, long ttlSeconds, string error);

        [LoggerMessage(108, LogLevel.Warning, "The etcd lease loop was interrupted by an outage ({ErrorType}: {Error}); it carries on", EventName = "LeaseLoopInterrupted")]
        public static partial void LoopInterrupted(ILogger logger, string errorType, string error);

        [LoggerMessage(107, LogLevel.Error, "The etcd lease loop failed unexpectedly; it carries on", EventName = "LeaseLoopFailed")]
        public static partial void LoopFailed(ILogger logger, Exception error);
    }
}
