using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SdKit.Client;

namespace SdKit.Etcd;

/// <summary>
/// The etcd v3 <see cref="IDiscoveryClient"/>, on dotnet-etcd. Entries are keys <c>servicePath/id</c> holding the
/// instance string, attached to the client's one lease; watches list a prefix and follow it from the next revision.
/// </summary>
/// <remarks>
/// <para>
/// The lease (TTL <see cref="EtcdDiscoveryOptions.LeaseTtl"/>) is kept alive every third of its TTL. When a
/// keep-alive fails the state is <see cref="ConnectionState.Suspended"/>; when etcd says the lease is gone, or no
/// keep-alive was confirmed for a whole TTL, it is <see cref="ConnectionState.Lost"/>: the client then grants a new
/// lease as soon as etcd answers and reports <see cref="ConnectionState.Reconnected"/>, and
/// <see cref="RegisterAsync"/> uses the new lease. Registering the entries again is the registrar's job.
/// </para>
/// <para>Create it with <see cref="ConnectAsync"/>; disposing it revokes the lease, which removes its entries at once.</para>
/// </remarks>
public sealed partial class EtcdDiscoveryClient : IDiscoveryClient
{
    private readonly EtcdConnection _connection;
    private readonly LeaseKeeper _keeper;
    private readonly ConnectionStateTracker _state;
    private readonly EtcdDiscoveryOptions _options;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly ILogger _watchLogger;
    private readonly WatchMux _watches;
    private int _disposed;

    private EtcdDiscoveryClient(EtcdConnection connection, LeaseKeeper keeper, ConnectionStateTracker state, EtcdDiscoveryOptions options, TimeProvider time, ILoggerFactory loggerFactory)
    {
        _connection = connection;
        _keeper = keeper;
        _state = state;
        _options = options;
        _time = time;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<EtcdDiscoveryClient>();
        _watchLogger = loggerFactory.CreateLogger<PrefixWatch>();
        _watches = new WatchMux(connection, options, time, loggerFactory.CreateLogger<WatchMux>(), OnWatchFailure);
    }

    /// <inheritdoc/>
    public ConnectionState State => _state.Current;

    /// <inheritdoc/>
    public IObservable<ConnectionState> StateChanges => _state.Changes;

    /// <summary>Gets the id of the client's current lease, or <see langword="null"/> while a lost lease is being replaced.</summary>
    public long? LeaseId => _keeper.CurrentLease;

    /// <summary>Gets the format of the values in this registry (<see cref="EtcdDiscoveryOptions.InstanceFormat"/>).</summary>
    public string InstanceFormat => _options.InstanceFormat;

    /// <summary>Gets the endpoints the client talks to, comma-separated.</summary>
    public string Endpoints => _connection.Endpoints;

    /// <summary>
    /// Connects to etcd: checks the options, grants the client's lease (which proves the endpoints, TLS and
    /// credentials work) and starts keeping it alive.
    /// </summary>
    /// <param name="options">Endpoints, lease TTL, deadlines, credentials and TLS files. The client keeps a copy.</param>
    /// <param name="loggerFactory">Where the client logs; none by default.</param>
    /// <param name="timeProvider">The clock for keep-alive, deadlines and backoff; the system clock by default.</param>
    /// <param name="cancellationToken">Cancels the connection attempt. A lease grant already sent is waited for (up to <see cref="EtcdDiscoveryOptions.RequestTimeout"/>) and, when etcd granted it, revoked before the cancellation is thrown.</param>
    /// <returns>A connected client in state <see cref="ConnectionState.Connected"/>.</returns>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    /// <exception cref="EtcdException">etcd refused the credentials, the TLS handshake failed, or no member answered within <see cref="EtcdDiscoveryOptions.RequestTimeout"/>.</exception>
    public static async Task<EtcdDiscoveryClient> ConnectAsync(EtcdDiscoveryOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var copy = Copy(options);
        copy.Validate();
        loggerFactory ??= NullLoggerFactory.Instance;
        timeProvider ??= TimeProvider.System;
        var connection = new EtcdConnection(copy, timeProvider);
        var state = new ConnectionStateTracker(loggerFactory.CreateLogger<EtcdDiscoveryClient>());
        var keeper = new LeaseKeeper(connection, state, copy, timeProvider, loggerFactory.CreateLogger<LeaseKeeper>());
        try
        {
            await keeper.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await keeper.DisposeAsync().ConfigureAwait(false);
            state.Close();
            connection.Dispose();
            throw;
        }

        var client = new EtcdDiscoveryClient(connection, keeper, state, copy, timeProvider, loggerFactory);
        Log.Connected(client._logger, connection.Endpoints, LeaseKeeper.LeaseName(keeper.CurrentLease ?? 0));
        return client;
    }

    /// <summary>Gets the client's watch stream, which carries every watch of the client (for tests and benchmarks).</summary>
    internal WatchMux WatchStream => _watches;

    /// <summary>Stops keeping the lease alive, revokes it (removing every entry registered through this client) and closes the connection.</summary>
    /// <remarks>
    /// When a lost lease is being replaced, the grant already sent is waited for (up to
    /// <see cref="EtcdDiscoveryOptions.RequestTimeout"/>) and the lease it produced is revoked too, so no lease of this
    /// client is left behind. A revoke that fails is logged; that lease then expires with its TTL.
    /// </remarks>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _watches.DisposeAsync().ConfigureAwait(false);
        await _keeper.DisposeAsync().ConfigureAwait(false);
        _state.Close();
        _connection.Dispose();
        Log.Closed(_logger, _connection.Endpoints);
    }

    private static EtcdDiscoveryOptions Copy(EtcdDiscoveryOptions options)
    {
        var copy = new EtcdDiscoveryOptions
        {
            LeaseTtl = options.LeaseTtl,
            KeepAliveInterval = options.KeepAliveInterval,
            RequestTimeout = options.RequestTimeout,
            MaxRetryDelay = options.MaxRetryDelay,
            WatchResumeAttempts = options.WatchResumeAttempts,
            Username = options.Username,
            Password = options.Password,
            TrustedCaFile = options.TrustedCaFile,
            ClientCertificateFile = options.ClientCertificateFile,
            ClientKeyFile = options.ClientKeyFile,
            InstanceFormat = SdKit.Instances.Codecs.InstanceFormats.IsKnown(options.InstanceFormat) ? options.InstanceFormat.ToLowerInvariant() : options.InstanceFormat,
        };
        foreach (var endpoint in options.Endpoints)
        {
            copy.Endpoints.Add(endpoint);
        }

        return copy;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    /// <summary>A request failed in a way that may be the connection: say so and let the keep-alive loop check now.</summary>
    private void OnTransientFailure()
    {
        _state.Report(ConnectionState.Suspended);
        _keeper.CheckNow();
    }
}
