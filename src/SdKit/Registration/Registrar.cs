using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SdKit.Client;
using SdKit.Diagnostics;
using SdKit.Instances;

namespace SdKit.Registration;

/// <summary>
/// The one <see cref="IRegistrar"/>: registers one <see cref="ServiceEntry"/> through any
/// <see cref="IDiscoveryClient"/> and keeps it registered. When the client reports
/// <see cref="ConnectionState.Lost"/> (session expiry, lost lease) it registers again, with capped exponential backoff
/// and jitter, as soon as the backend accepts it.
/// </summary>
/// <remarks>
/// <see cref="DeregisterAsync"/> removes exactly this registrar's entry (go-kit's ZooKeeper registrar deletes the shared
/// service node instead) and is idempotent. Disposal deregisters as well, bounded by
/// <see cref="RegistrarOptions.DeregisterOnDisposeTimeout"/>.
/// </remarks>
public sealed partial class Registrar : IRegistrar
{
    private readonly IDiscoveryClient _client;
    // Guarded by _gate for writes (UpdateAsync); read without it for logs and spans.
    private ServiceEntry _entry;
    private readonly RegistrarOptions _options;
    private readonly ILogger _logger;
    private readonly Broadcaster<RegistrationState> _states;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _disposing = new();
    private readonly TagList _pathTag;

    // Guarded by _gate.
    private RegisteredEntry? _registration;
    private RegisteredEntry? _staleRegistration;
    private Keeper? _keeper;
    private bool _disposed;

    /// <summary>Initializes a new registrar; nothing is written before <see cref="RegisterAsync"/>.</summary>
    /// <param name="client">The backend to register through. Not owned: disposing the registrar leaves it open.</param>
    /// <param name="entry">The entry to keep registered.</param>
    /// <param name="options">Backoff, disposal timeout and clock; <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Where registrations, losses and failures are logged.</param>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> or <paramref name="entry"/> is <see langword="null"/>.</exception>
    public Registrar(IDiscoveryClient client, ServiceEntry entry, RegistrarOptions? options = null, ILogger<Registrar>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(entry);
        options ??= new RegistrarOptions();
        options.Validate();

        _client = client;
        // One id for the registrar's whole life: a retry after a write whose outcome is unknown (a timed-out etcd
        // put that did land) then rewrites the same key instead of leaving a second entry behind for good.
        _entry = entry.Id is null ? entry with { Id = Guid.NewGuid().ToString("N") } : entry;
        _options = options.Clone();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _pathTag = new TagList { { SdKitMetrics.ServicePathTag, entry.ServicePath } };
        _states = new Broadcaster<RegistrationState>(RegistrationState.Unregistered, ex => LogObserverFailed(_logger, ex));
    }

    /// <summary>
    /// Gets the entry this registrar keeps registered. When the entry given had no <see cref="ServiceEntry.Id"/>, the
    /// registrar fixed one for its whole life, so every registration attempt writes the same key where the backend
    /// names entries by id (etcd).
    /// </summary>
    public ServiceEntry Entry => Volatile.Read(ref _entry);

    /// <summary>Gets the handle of the entry currently in the registry, or <see langword="null"/>.</summary>
    public RegisteredEntry? Registration => Volatile.Read(ref _registration);

    /// <inheritdoc/>
    public RegistrationState State => _states.Current;

    /// <inheritdoc/>
    public IObservable<RegistrationState> StateChanges => _states;

    private void SetState(RegistrationState state)
    {
        if (_states.Current == state)
        {
            return;
        }

        _states.Publish(state);
        var tags = _pathTag;
        tags.Add(SdKitMetrics.StateTag, state.ToString());
        SdKitMetrics.RegistrationStateChanges.Add(1, tags);
        LogStateChanged(_logger, _entry.ServicePath, _entry.Instance, state);
    }

    private bool IsKeeping => _keeper is not null;
}
