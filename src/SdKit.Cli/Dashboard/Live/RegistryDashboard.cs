using Microsoft.Extensions.Logging;
using SdKit.Cli.Dashboard.Browsing;
using SdKit.Client;

namespace SdKit.Cli.Dashboard.Live;

/// <summary>
/// The live model behind the page: follows the services under the root through the registry browser, keeps one
/// <see cref="ServiceWatch"/> per service (for the dashboard's lifetime, so a service whose last instance left still
/// shows its timeline), tracks the client's connection state, and remembers what changed since the feed last looked.
/// </summary>
internal sealed partial class RegistryDashboard : IAsyncDisposable
{
    private readonly IDiscoveryClient _client;
    private readonly IRegistryBrowser _browser;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly Dictionary<string, ServiceWatch> _services = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly IDisposable _states;
    private readonly string _backend;
    private readonly string _registry;
    private Task _follow = Task.CompletedTask;
    private ConnectionState _state;
    private string? _discoveryError;
    private bool _connectionDirty;

    public RegistryDashboard(IDiscoveryClient client, IRegistryBrowser browser, string backend, string registry, string root, TimeProvider time, ILoggerFactory loggerFactory)
    {
        _client = client;
        _browser = browser;
        _backend = backend;
        _registry = registry;
        Root = root;
        _time = time;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<RegistryDashboard>();
        _state = client.State;
        _states = client.StateChanges.Subscribe(System.Reactive.Observer.Create<ConnectionState>(OnState));
        browser.DetailsChanged += OnDetailsChanged;
    }

    /// <summary>Gets the root path whose services are shown.</summary>
    public string Root { get; }

    /// <summary>Starts following the services under the root.</summary>
    public void Start() => _follow = Task.Run(() => _browser.FollowServicesAsync(OnService, OnDiscoveryError, _stopping.Token));

    /// <summary>Gets the connection as the page shows it.</summary>
    public ConnectionStatus Connection()
    {
        lock (_dirty)
        {
            return new ConnectionStatus(_backend, _registry, Root, _state.ToString().ToLowerInvariant(), _browser.ClientIdentity, _discoveryError, ReadOnly: true);
        }
    }

    /// <summary>Gets every service, sorted by path.</summary>
    public IReadOnlyList<ServiceState> Services()
    {
        List<ServiceWatch> watches;
        lock (_dirty)
        {
            watches = [.. _services.Values];
        }

        return [.. watches.Select(w => w.View.Read()).OrderBy(s => s.Path, StringComparer.Ordinal)];
    }

    /// <summary>Takes what changed since the last call: the services, and whether the connection did.</summary>
    public (IReadOnlyList<ServiceState> Services, ConnectionStatus? Connection) TakeChanges()
    {
        List<ServiceWatch> changed;
        bool connection;
        lock (_dirty)
        {
            changed = [.. _dirty.Select(path => _services[path])];
            _dirty.Clear();
            connection = _connectionDirty;
            _connectionDirty = false;
        }

        return ([.. changed.Select(w => w.View.Read())], connection ? Connection() : null);
    }

    public async ValueTask DisposeAsync()
    {
        _browser.DetailsChanged -= OnDetailsChanged;
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _follow.ConfigureAwait(false);
        _states.Dispose();
        List<ServiceWatch> watches;
        lock (_dirty)
        {
            watches = [.. _services.Values];
            _services.Clear();
        }

        foreach (var watch in watches)
        {
            await watch.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private void OnService(string servicePath)
    {
        lock (_dirty)
        {
            if (_stopping.IsCancellationRequested || _services.ContainsKey(servicePath))
            {
                return;
            }

            _services[servicePath] = new ServiceWatch(servicePath, _client, _browser, OnChanged, _time, _loggerFactory);
        }

        LogServiceFound(_logger, servicePath);
    }

    private void OnChanged(string servicePath)
    {
        lock (_dirty)
        {
            _dirty.Add(servicePath);
        }
    }

    private void OnDetailsChanged(string servicePath)
    {
        ServiceWatch? watch;
        lock (_dirty)
        {
            _services.TryGetValue(servicePath, out watch);
        }

        watch?.Refresh();
    }

    private void OnDiscoveryError(string? error)
    {
        lock (_dirty)
        {
            _connectionDirty |= !string.Equals(error, _discoveryError, StringComparison.Ordinal);
            _discoveryError = error;
        }
    }

    private void OnState(ConnectionState state)
    {
        lock (_dirty)
        {
            _state = state;
            _connectionDirty = true;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Watching service {ServicePath}")]
    private static partial void LogServiceFound(ILogger logger, string servicePath);
}
