using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SdKit.Client;
using SdKit.Hosting.Health;
using SdKit.Hosting.Options;
using SdKit.Registration;

namespace SdKit.Hosting.Registration;

/// <summary>
/// Ties the configured registration to the host's lifetime: registers once the application has started (its
/// servers listen), keeps retrying in the background when that fails, and deregisters first when the host
/// stops, before other hosted services (and the server's connections) drain.
/// </summary>
internal sealed partial class RegistrationHostedService : IHostedLifecycleService, IAsyncDisposable
{
    private readonly IServiceProvider _services;
    private readonly IDiscoveryClient _client;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly SdKitOptions _options;
    private readonly CoreComponents _components;
    private readonly RegistrationInstanceSource? _instanceSource;
    private readonly BackendInstanceFormat? _backendFormat;
    private readonly ILogger<RegistrationHostedService> _logger;
    private readonly TimeProvider _timeProvider;
    private readonly HashSet<string> _sdkitChecks;
    private readonly CancellationTokenSource _stopping = new();
    private readonly object _gate = new();
    private CancellationTokenRegistration _startedRegistration;
    private Task _registering = Task.CompletedTask;
    private readonly TaskCompletionSource<IRegistrar> _registrarCreated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile RegistrationAttempt? _attempt;
    private volatile Exception? _lastError;
    private int _failedAttempts;
    private volatile bool _registered;
    private int _disposed;

    public RegistrationHostedService(
        IServiceProvider services,
        IDiscoveryClient client,
        IHostApplicationLifetime lifetime,
        IOptions<SdKitOptions> options,
        CoreComponents components,
        IEnumerable<RegistrationInstanceSource> instanceSources,
        IEnumerable<BackendInstanceFormat> backendFormats,
        IEnumerable<SdKitHealthCheckName> sdkitChecks,
        TimeProvider timeProvider,
        ILogger<RegistrationHostedService> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _services = services;
        _client = client;
        _lifetime = lifetime;
        _options = options.Value;
        _components = components;
        _instanceSource = instanceSources.LastOrDefault();
        _backendFormat = backendFormats.LastOrDefault();
        _timeProvider = timeProvider;
        _sdkitChecks = new HashSet<string>(sdkitChecks.Select(check => check.Name), StringComparer.Ordinal);
        _logger = logger;
    }

    /// <summary>Gets a value indicating whether the application registers itself.</summary>
    public bool IsConfigured => _options.Registration is not null;

    /// <summary>Gets the entry registered, or <see langword="null"/> before the application has started.</summary>
    public ServiceEntry? Entry => _attempt?.Entry;

    /// <summary>Gets the registrar, or <see langword="null"/> before the application has started.</summary>
    public IRegistrar? Registrar => _attempt?.Registrar;

    /// <summary>Gets a task that completes with the registrar once the application has started.</summary>
    public Task<IRegistrar> RegistrarCreated => _registrarCreated.Task;

    /// <summary>Gets the error of the last failed startup attempt while the entry is not registered yet.</summary>
    public Exception? LastError => _lastError;

    /// <summary>Gets how many startup attempts have failed so far.</summary>
    public int FailedAttempts => Volatile.Read(ref _failedAttempts);

    /// <inheritdoc/>
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (IsConfigured)
        {
            // ApplicationStarted fires after every hosted service (the web server too) has started: only then can
            // callers reach the instance we announce.
            _startedRegistration = _lifetime.ApplicationStarted.Register(Begin);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        Task registering;
        lock (_gate)
        {
            _stopping.Cancel();
            registering = _registering;
        }

        await registering.ConfigureAwait(false);
        if (_attempt is not { } attempt)
        {
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.DeregisterTimeout);
        try
        {
            // Deregistering is idempotent and runs even when no attempt succeeded: a create the registry applied but
            // never confirmed is removed too. The log says which of the two it was.
            await attempt.Registrar.DeregisterAsync(timeout.Token).ConfigureAwait(false);
            if (!_registered)
            {
                // The registrar logs a deregistration itself; only this case has nothing of its own to say.
                Log.NeverRegistered(_logger, attempt.Entry.ServicePath, attempt.Entry.Instance);
            }
        }
        catch (Exception ex) when (ex is DiscoveryException or OperationCanceledException or TimeoutException)
        {
            // The entry dies with the client's session or lease anyway; stopping must go on.
            Log.DeregisterFailed(_logger, ex, attempt.Entry.ServicePath, attempt.Entry.Instance);
        }

        await DrainAsync(attempt.Entry, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Keeps the application serving for <see cref="SdKitOptions.DrainDelay"/> after its entry left the registry:
    /// this runs in <c>StoppingAsync</c>, before the server's <c>StopAsync</c>, so watchers learn of the removal
    /// and calls already sent finish while the server still accepts them.
    /// </summary>
    private async Task DrainAsync(ServiceEntry entry, CancellationToken cancellationToken)
    {
        var delay = _options.DrainDelay;
        if (!_registered || delay <= TimeSpan.Zero)
        {
            return;
        }

        Log.Draining(_logger, entry.ServicePath, entry.Instance, delay);
        try
        {
            await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Log.DrainCutShort(_logger, entry.Instance);
        }
    }

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        // The container may reach this object through two registrations (itself and IHostedService).
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _startedRegistration.DisposeAsync().ConfigureAwait(false);
        Task registering;
        lock (_gate)
        {
            _stopping.Cancel();
            registering = _registering;
        }

        await registering.ConfigureAwait(false);
        if (_attempt is { } attempt)
        {
            await attempt.Registrar.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private void Begin()
    {
        lock (_gate)
        {
            if (!_stopping.IsCancellationRequested)
            {
                _registering = Task.Run(RunAsync);
            }
        }
    }

    /// <summary>The entry and the registrar keeping it, made once the application has started.</summary>
    private sealed record RegistrationAttempt(ServiceEntry Entry, IRegistrar Registrar, string Instance, string Format);
}
