namespace SdKit.Etcd;

/// <summary>The defaults of <see cref="EtcdDiscoveryOptions"/> and the fixed timings of the client, in one place.</summary>
internal static class EtcdDefaults
{
    public static readonly TimeSpan LeaseTtl = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(2);
    public const int WatchResumeAttempts = 3;

    /// <summary>The first pause of every retry loop; it doubles up to <see cref="EtcdDiscoveryOptions.MaxRetryDelay"/>.</summary>
    public static readonly TimeSpan InitialRetryDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>The shortest wait for a keep-alive answer, so a busy machine is not mistaken for a dead member.</summary>
    public static readonly TimeSpan MinKeepAliveAnswerTimeout = TimeSpan.FromMilliseconds(500);

    /// <summary>HTTP/2 ping delay: etcd answers pings more often than every 5 s with GOAWAY (--grpc-keepalive-min-time).</summary>
    public static readonly TimeSpan Http2PingDelay = TimeSpan.FromSeconds(10);

    /// <summary>How long an unanswered HTTP/2 ping may stay unanswered before the connection counts as dead.</summary>
    public static readonly TimeSpan Http2PingTimeout = TimeSpan.FromSeconds(5);
}
