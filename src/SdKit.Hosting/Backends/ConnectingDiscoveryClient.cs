using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using SdKit.Client;

namespace SdKit.Hosting.Backends;

/// <summary>
/// An <see cref="IDiscoveryClient"/> that connects a remote backend (ZooKeeper, etcd) in the background, so the
/// container can hand it out at once and the application starts even while the registry is unreachable. Until the
/// connection exists it reports <see cref="ConnectionState.Suspended"/> and operations wait for it (bounded by
/// their cancellation tokens); failed attempts are logged and retried with capped, jittered backoff.
/// </summary>
internal sealed partial class ConnectingDiscoveryClient : IDiscoveryClient
{
    private readonly string _backend;
    private readonly ILogger _logger;
    private readonly ConnectionStateTracker _states;
    private readonly TaskCompletionSource<IDiscoveryClient> _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _connectLoop;
    private IDisposable? _forwarding;
    private int _disposed;

    public ConnectingDiscoveryClient(string backend, Func<CancellationToken, Task<IDiscoveryClient>> connect, TimeProvider timeProvider, ILogger logger)
    {
        _backend = backend;
        _logger = logger;
        _states = new ConnectionStateTracker(ConnectionState.Suspended, logger);
        _connectLoop = Task.Run(() => ConnectLoopAsync(connect, timeProvider));
    }

    /// <inheritdoc/>
    public ConnectionState State => _states.Current;

    /// <inheritdoc/>
    public IObservable<ConnectionState> StateChanges => _states.Changes;

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<string>> ListAsync(string servicePath, CancellationToken cancellationToken = default)
        => await (await ClientAsync(cancellationToken).ConfigureAwait(false)).ListAsync(servicePath, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async IAsyncEnumerable<IReadOnlyList<string>> WatchAsync(string servicePath, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var client = await ClientAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var snapshot in client.WatchAsync(servicePath, cancellationToken).ConfigureAwait(false))
        {
            yield return snapshot;
        }
    }

    /// <inheritdoc/>
    public async ValueTask<RegisteredEntry> RegisterAsync(ServiceEntry entry, CancellationToken cancellationToken = default)
        => await (await ClientAsync(cancellationToken).ConfigureAwait(false)).RegisterAsync(entry, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<RegisteredEntry> UpdateAsync(RegisteredEntry registration, string instance, CancellationToken cancellationToken = default)
        => await (await ClientAsync(cancellationToken).ConfigureAwait(false)).UpdateAsync(registration, instance, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask DeregisterAsync(RegisteredEntry registration, CancellationToken cancellationToken = default)
        => await (await ClientAsync(cancellationToken).ConfigureAwait(false)).DeregisterAsync(registration, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _connectLoop.ConfigureAwait(false);
        _forwarding?.Dispose();
        if (_connected.Task.IsCompletedSuccessfully)
        {
            await _connected.Task.Result.DisposeAsync().ConfigureAwait(false);
        }

        _connected.TrySetException(new ObjectDisposedException(nameof(ConnectingDiscoveryClient)));
        _states.Close();
        _stopping.Dispose();
    }

    private async Task<IDiscoveryClient> ClientAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return await _connected.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task ConnectLoopAsync(Func<CancellationToken, Task<IDiscoveryClient>> connect, TimeProvider timeProvider)
    {
        var backoff = new Backoff(new BackoffOptions { InitialDelay = TimeSpan.FromMilliseconds(200), MaxDelay = TimeSpan.FromSeconds(30) }, timeProvider);
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                var client = await connect(_stopping.Token).ConfigureAwait(false);
                _forwarding = client.StateChanges.Subscribe(state => _states.Report(state));
                _connected.TrySetResult(client);
                Log.Connected(_logger, _backend);
                return;
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (ArgumentException ex)
            {
                // Invalid options cannot heal by retrying: every operation fails with the reason.
                Log.OptionsInvalid(_logger, ex, _backend);
                _connected.TrySetException(ex);
                _states.Report(ConnectionState.Lost);
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                var delay = backoff.Next();
                Log.ConnectFailed(_logger, ex, _backend, backoff.Attempts, delay);
                try
                {
                    await Task.Delay(delay, timeProvider, _stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Connected to {Backend}.", EventName = "Connected")]
        public static partial void Connected(ILogger logger, string backend);

        [LoggerMessage(2, LogLevel.Warning, "Connecting to {Backend} failed (attempt {Attempt}); retrying in {Delay}.", EventName = "ConnectFailed")]
        public static partial void ConnectFailed(ILogger logger, Exception exception, string backend, int attempt, TimeSpan delay);

        [LoggerMessage(3, LogLevel.Error, "The options for {Backend} are invalid; not connecting.", EventName = "OptionsInvalid")]
        public static partial void OptionsInvalid(ILogger logger, Exception exception, string backend);
    }
}
