namespace SdKit.ZooKeeper.Client;

/// <summary>Settings of a <see cref="ZooKeeperClient"/>. Validated once by <see cref="ZooKeeperClient.ConnectAsync"/>.</summary>
public sealed class ZooKeeperClientOptions
{
    /// <summary>The default session timeout requested from the server.</summary>
    public static readonly TimeSpan DefaultSessionTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The default time <see cref="ZooKeeperClient.ConnectAsync"/> waits for the first session.</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(15);

    /// <summary>The server's default <c>jute.maxbuffer</c>: the largest request frame it accepts.</summary>
    public const int DefaultMaxRequestSize = 0xfffff;

    /// <summary>The default largest reply frame accepted: <c>jute.maxbuffer</c> plus the same again as headroom.</summary>
    public const int DefaultMaxFrameSize = 2 * 0x100000;

    /// <summary>
    /// Gets or sets the ensemble: comma-separated <c>host:port</c> entries (IPv4, <c>[IPv6]:port</c> or names; the port
    /// defaults to 2181), optionally followed by a chroot path, for example <c>10.0.0.1:2181,10.0.0.2:2181/apps/shop</c>.
    /// </summary>
    public string ConnectString { get; set; } = string.Empty;

    /// <summary>Gets or sets the session timeout to request; the server clamps it to its [2, 20] × tickTime range by default.</summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan SessionTimeout { get; set; } = DefaultSessionTimeout;

    /// <summary>Gets or sets how long <see cref="ZooKeeperClient.ConnectAsync"/> waits for the first session before failing.</summary>
    /// <value>The default value is 15 seconds.</value>
    public TimeSpan ConnectTimeout { get; set; } = DefaultConnectTimeout;

    /// <summary>Gets the credentials sent after every connect, before any request (for example <see cref="ZooKeeperAuthInfo.Digest"/>).</summary>
    public IList<ZooKeeperAuthInfo> Authentication { get; } = [];

    /// <summary>Gets or sets the largest reply frame accepted; a larger one is a protocol error that drops the connection.</summary>
    /// <value>The default value is 2 MiB.</value>
    public int MaxFrameSize { get; set; } = DefaultMaxFrameSize;

    /// <summary>Gets or sets the largest request frame sent; larger requests fail before they are sent (the server would drop the connection).</summary>
    /// <value>The default value is 1,048,575 bytes, the server's default <c>jute.maxbuffer</c>.</value>
    public int MaxRequestSize { get; set; } = DefaultMaxRequestSize;

    /// <summary>Gets or sets a value indicating whether a read-only server (one that lost its quorum) may be used.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool CanBeReadOnly { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the client opens a new session after its session expired
    /// (<see cref="ZooKeeperSessionState.Expired"/>, then <see cref="ZooKeeperSessionState.Connected"/> with a new id).
    /// When off, the client stays expired and every operation fails with <see cref="SessionExpiredException"/>.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool ReconnectAfterExpiry { get; set; } = true;

    /// <summary>Gets or sets the clock used for pings, read timeouts and backoff.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Throws when a setting is out of range, naming it.</summary>
    /// <exception cref="ArgumentException">A setting is invalid.</exception>
    public void Validate()
    {
        _ = Session.ConnectString.Parse(ConnectString);
        if (SessionTimeout < TimeSpan.FromMilliseconds(100) || SessionTimeout > TimeSpan.FromMinutes(30))
        {
            throw new ArgumentException($"SessionTimeout must be between 100 ms and 30 minutes, not {SessionTimeout}.", nameof(SessionTimeout));
        }

        if (ConnectTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"ConnectTimeout must be positive, not {ConnectTimeout}.", nameof(ConnectTimeout));
        }

        if (MaxFrameSize < 64 * 1024)
        {
            throw new ArgumentException($"MaxFrameSize must be at least 64 KiB, not {MaxFrameSize}.", nameof(MaxFrameSize));
        }

        if (MaxRequestSize < 1024)
        {
            throw new ArgumentException($"MaxRequestSize must be at least 1 KiB, not {MaxRequestSize}.", nameof(MaxRequestSize));
        }

        ArgumentNullException.ThrowIfNull(TimeProvider);
        foreach (var auth in Authentication)
        {
            if (auth is null || string.IsNullOrEmpty(auth.Scheme))
            {
                throw new ArgumentException("Every Authentication entry needs a scheme.", nameof(Authentication));
            }
        }
    }
}
