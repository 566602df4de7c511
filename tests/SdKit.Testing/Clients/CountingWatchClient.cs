using SdKit.Client;

namespace SdKit.Testing.Clients;

/// <summary>
/// Wraps a real client and counts the watches started through it, so a test can await "the instancer has watched
/// again N times" instead of sleeping and hoping it did; every call goes straight through.
/// </summary>
/// <param name="inner">The client to wrap; owned and disposed with this one.</param>
public sealed class CountingWatchClient(IDiscoveryClient inner) : IDiscoveryClient
{
    private readonly object _gate = new();
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
    private int _watches;

    /// <summary>Gets the number of watches started so far.</summary>
    public int Watches => Volatile.Read(ref _watches);

    /// <inheritdoc/>
    public ConnectionState State => inner.State;

    /// <inheritdoc/>
    public IObservable<ConnectionState> StateChanges => inner.StateChanges;

    /// <summary>Completes once at least <paramref name="count"/> watches have been started.</summary>
    /// <param name="count">The number of watches to wait for.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>A task that completes when the count is reached, or fails with <see cref="TimeoutException"/>.</returns>
    public Task WaitForWatchesAsync(int count, TimeSpan timeout)
    {
        lock (_gate)
        {
            if (_watches >= count)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, reached));
            return reached.Task.WaitAsync(timeout);
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<string>> ListAsync(string servicePath, CancellationToken cancellationToken = default)
        => inner.ListAsync(servicePath, cancellationToken);

    /// <inheritdoc/>
    public IAsyncEnumerable<IReadOnlyList<string>> WatchAsync(string servicePath, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _watches++;
            foreach (var waiter in _waiters.Where(w => w.Count <= _watches).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Reached.TrySetResult();
            }
        }

        return inner.WatchAsync(servicePath, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<RegisteredEntry> RegisterAsync(ServiceEntry entry, CancellationToken cancellationToken = default)
        => inner.RegisterAsync(entry, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<RegisteredEntry> UpdateAsync(RegisteredEntry registration, string instance, CancellationToken cancellationToken = default)
        => inner.UpdateAsync(registration, instance, cancellationToken);

    /// <inheritdoc/>
    public ValueTask DeregisterAsync(RegisteredEntry registration, CancellationToken cancellationToken = default)
        => inner.DeregisterAsync(registration, cancellationToken);

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
