using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SdKit.ZooKeeper.Client.Protocol;
using SdKit.ZooKeeper.Client.Session;

namespace SdKit.ZooKeeper.Client;

/// <summary>
/// An asynchronous ZooKeeper client: one session, carried across the servers of an ensemble, with pipelined requests,
/// watches and a typed error for every server error code. Create it with <see cref="ConnectAsync"/>; dispose it to
/// close the session (its ephemeral nodes disappear at once).
/// </summary>
/// <remarks>
/// <para>
/// All methods are thread-safe and may be called concurrently: requests are pipelined on one connection and answered
/// in the order they were sent. On connection loss, pending requests fail with <see cref="ConnectionLossException"/>
/// (they may or may not have been applied), the state becomes <see cref="ZooKeeperSessionState.Disconnected"/>, and
/// the client reconnects to the next server with the same session; requests made meanwhile wait for it.
/// </para>
/// <para>
/// When the session expires, the state becomes <see cref="ZooKeeperSessionState.Expired"/>, watches fault with
/// <see cref="SessionExpiredException"/>, and (unless <see cref="ZooKeeperClientOptions.ReconnectAfterExpiry"/> is
/// off) a new session follows, reported as <see cref="ZooKeeperSessionState.Connected"/> with a new <see cref="SessionId"/>.
/// </para>
/// </remarks>
public sealed partial class ZooKeeperClient : IAsyncDisposable
{
    private readonly ZooKeeperSession _session;
    private readonly string? _chroot;
    private int _disposed;

    private ZooKeeperClient(ZooKeeperSession session)
    {
        _session = session;
        _chroot = session.Chroot;
    }

    /// <summary>Gets the current session state.</summary>
    public ZooKeeperSessionState State => _session.State;

    /// <summary>
    /// Gets the session states: a subscriber receives the current state at once, then every change, on the thread pool
    /// (observers never delay the client). <see cref="ZooKeeperSessionState.Expired"/> followed by
    /// <see cref="ZooKeeperSessionState.Connected"/> means a new session: ephemeral nodes must be created again.
    /// The sequence completes after <see cref="ZooKeeperSessionState.Closed"/>.
    /// </summary>
    public IObservable<ZooKeeperSessionState> StateChanges => _session.StateChanges;

    /// <summary>Gets the current session id (0 while a new session is being opened after expiry).</summary>
    public long SessionId => _session.SessionId;

    /// <summary>Gets the session timeout the server granted.</summary>
    public TimeSpan SessionTimeout => _session.NegotiatedTimeout;

    /// <summary>Gets the server the session is connected to now (<c>host:port</c>), or <see langword="null"/> while disconnected.</summary>
    public string? ConnectedServer => _session.ConnectedServer;

    /// <summary>Gets the highest zxid seen in any reply.</summary>
    public long LastZxid => _session.LastZxid;

    /// <summary>Connects to the ensemble and opens a session.</summary>
    /// <param name="options">The settings; validated here.</param>
    /// <param name="loggerFactory">Where the client logs connection changes; nothing is logged when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A connected client.</returns>
    /// <exception cref="ArgumentException">An option is invalid (for example a malformed connect string).</exception>
    /// <exception cref="ConnectionLossException">No server answered within <see cref="ZooKeeperClientOptions.ConnectTimeout"/>.</exception>
    /// <exception cref="AuthFailedException">The server refused the credentials.</exception>
    public static async Task<ZooKeeperClient> ConnectAsync(ZooKeeperClientOptions options, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<ZooKeeperClient>();
        var session = new ZooKeeperSession(options, logger);
        try
        {
            await session.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new ZooKeeperClient(session);
    }

    /// <summary>Closes the session (its ephemeral nodes are deleted by the server) and the connection.</summary>
    /// <returns>A task that completes when the client is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _session.DisposeAsync().ConfigureAwait(false);
        }
    }

    private Task<T> Submit<T>(Operation<T> operation, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

        return _session.Submit(operation, cancellationToken);
    }

    private string ServerPath(string path, bool sequential = false, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(path))] string? paramName = null)
    {
        ZooKeeperPaths.Validate(path, sequential, paramName);
        return Chroot.Prepend(_chroot, path);
    }

    private void CheckDataSize(string path, ReadOnlyMemory<byte> data)
    {
        // Header, path, ACL and version fit easily in the margin; the write loop checks the exact frame size too.
        const int margin = 1024;
        var limit = _session.Options.MaxRequestSize - margin - (path.Length * 3);
        if (data.Length > limit)
        {
            throw new ArgumentException($"The data for '{path}' is {data.Length} bytes; at most {limit} fit in one request (MaxRequestSize {_session.Options.MaxRequestSize}, the server's jute.maxbuffer).", nameof(data));
        }
    }

    private static void CheckVersion(int version, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(version))] string? paramName = null)
    {
        if (version < -1)
        {
            throw new ArgumentOutOfRangeException(paramName, version, "A version is -1 (any version) or a node's version (0 or more).");
        }
    }
}
