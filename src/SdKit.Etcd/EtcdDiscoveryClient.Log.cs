using Microsoft.Extensions.Logging;

namespace SdKit.Etcd;

/// <summary>Log messages of the client.</summary>
public sealed partial class EtcdDiscoveryClient
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Connected to etcd at {Endpoints} with lease {Lease}", EventName = "Connected")]
        public static partial void Connected(ILogger logger, string endpoints, string lease);

        [LoggerMessage(2, LogLevel.Information, "Registered '{Key}' = '{Instance}' with lease {Lease}", EventName = "Registered")]
        public static partial void Registered(ILogger logger, string key, string instance, string lease);

        [LoggerMessage(3, LogLevel.Information, "Deregistered '{Key}' (deleted: {Deleted})", EventName = "Deregistered")]
        public static partial void Deregistered(ILogger logger, string key, bool deleted);

        [LoggerMessage(4, LogLevel.Information, "Closed the etcd client of {Endpoints}", EventName = "Closed")]
        public static partial void Closed(ILogger logger, string endpoints);

        [LoggerMessage(5, LogLevel.Information, "Updated '{Key}' = '{Instance}' in place with lease {Lease}", EventName = "Updated")]
        public static partial void Updated(ILogger logger, string key, string instance, string lease);
    }
}
