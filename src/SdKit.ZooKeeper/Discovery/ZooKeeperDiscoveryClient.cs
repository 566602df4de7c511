using System.Reactive;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SdKit.Client;

namespace SdKit.ZooKeeper.Discovery;

/// <summary>
/// The ZooKeeper <see cref="IDiscoveryClient"/>, on SdKit's own <see cref="ZooKeeperClient"/>. It registers instances
/// as ephemeral nodes below a service path (go-kit's protected layout by default, or the plain named layout) and
/// watches a service path for the set of instance strings.
/// </summary>
/// <remarks>
/// <para>
/// Registration creates the missing parents of the service path as persistent nodes
/// (<see cref="ZooKeeperDiscoveryOptions.ParentAcl"/>, <see cref="ZooKeeperDiscoveryOptions.ParentData"/>), then the
/// instance node. In the <see cref="ZooKeeperNodeLayout.Protected"/> layout a create that fails with a connection
/// loss is recovered: after reconnecting the client lists the parent and adopts the node carrying its GUID, and
/// creates again only when there is none.
/// </para>
/// <para>
/// Watching (see <see cref="ZooKeeperDiscoveryOptions.WatchMode"/>) reads the data of new children in batches, all
/// in flight at once, and reads a child again when its data changes (an update in place), in either watch mode. An
/// instance is the node's data, or its name when the data is empty. Watching never creates nodes: a missing path is
/// an empty set, watched for its creation.
/// </para>
/// <para>
/// States: Disconnected is <see cref="ConnectionState.Suspended"/>; session expiry, or a disconnection longer than
/// the session timeout, is <see cref="ConnectionState.Lost"/>; a resumed or new session is
/// <see cref="ConnectionState.Reconnected"/>, and the <see cref="Registration.Registrar"/> then registers again.
/// </para>
/// </remarks>
public sealed partial class ZooKeeperDiscoveryClient : IDiscoveryClient
{
    private readonly ZooKeeperClient _zk;
    private readonly ZooKeeperDiscoveryOptions _options;
    private readonly ILogger _logger;
    private readonly SessionStateMapper _states;
    private readonly SessionSpans _sessionSpans = new();
    private readonly InstanceDataReader _instanceReader;
    private readonly IDisposable _sessionSubscription;
    private readonly Dictionary<string, SharedPathWatch> _watches = new(StringComparer.Ordinal);
    private int _disposed;
    private volatile bool _persistentWatchUnsupported;

    /// <summary>
    /// Initializes a discovery client over a connected <paramref name="zooKeeper"/> client, which it takes over:
    /// disposing the discovery client disposes it (closing the session and removing its instance nodes).
    /// </summary>
    /// <param name="zooKeeper">A connected ZooKeeper client.</param>
    /// <param name="options">Layout, ACLs and parent data; <see cref="ZooKeeperDiscoveryOptions.Connection"/> is not used. The defaults when <see langword="null"/>.</param>
    /// <param name="loggerFactory">Where the client logs; nothing is logged when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public ZooKeeperDiscoveryClient(ZooKeeperClient zooKeeper, ZooKeeperDiscoveryOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(zooKeeper);
        options ??= new ZooKeeperDiscoveryOptions();
        options.Validate();
        _zk = zooKeeper;
        _options = options.Snapshot();
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<ZooKeeperDiscoveryClient>();
        _instanceReader = new InstanceDataReader(_zk, _options.ReadBatchSize, _logger);
        _states = new SessionStateMapper(_options.Connection.TimeProvider, () => _zk.SessionTimeout, OnStateChanged, _logger);
        _sessionSubscription = _zk.StateChanges.Subscribe(Observer.Create<ZooKeeperSessionState>(
            _states.OnSessionState,
            _ => _states.Close(),
            _states.Close));
    }

    /// <summary>Gets the underlying ZooKeeper client, for operations beyond discovery. Do not dispose it.</summary>
    public ZooKeeperClient ZooKeeper => _zk;

    /// <summary>Gets the layout of the nodes this client registers.</summary>
    public ZooKeeperNodeLayout Layout => _options.Layout;

    /// <summary>Gets the format of the instance strings in this registry (<see cref="ZooKeeperDiscoveryOptions.InstanceFormat"/>).</summary>
    public string InstanceFormat => _options.InstanceFormat;

    /// <inheritdoc/>
    public ConnectionState State => _states.Current;

    /// <inheritdoc/>
    public IObservable<ConnectionState> StateChanges => _states.Changes;

    /// <summary>Connects to the ensemble named by <see cref="ZooKeeperDiscoveryOptions.Connection"/> and opens a session.</summary>
    /// <param name="options">The settings; validated here.</param>
    /// <param name="loggerFactory">Where the clients log; nothing is logged when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the connection attempt.</param>
    /// <returns>A client in state <see cref="ConnectionState.Connected"/>.</returns>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    /// <exception cref="ConnectionLossException">No server answered within the connect timeout.</exception>
    /// <exception cref="AuthFailedException">The server refused the credentials.</exception>
    private static async Task<ZooKeeperDiscoveryClient> ConnectCoreAsync(ZooKeeperDiscoveryOptions options, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var zk = await ZooKeeperClient.ConnectAsync(options.Connection, loggerFactory, cancellationToken).ConfigureAwait(false);
        return new ZooKeeperDiscoveryClient(zk, options, loggerFactory);
    }

    /// <summary>Closes the session: every node registered through this client disappears at once; watches end.</summary>
    /// <returns>A task that completes when the session is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _zk.DisposeAsync().ConfigureAwait(false);
        _sessionSubscription.Dispose();
        _states.Close();
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private void OnStateChanged(ConnectionState state, ZooKeeperSessionState cause)
    {
        Log.StateChanged(_logger, state, cause, _zk.SessionId);
        _sessionSpans.OnStateChanged(state, cause, _zk.SessionId);
    }
}
