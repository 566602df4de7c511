using System.Runtime.CompilerServices;
using SdKit.Client;

namespace SdKit.InMemory;

/// <summary>
/// An <see cref="IDiscoveryClient"/> over an <see cref="InMemoryRegistry"/>, with one simulated session. Entries it
/// registers vanish when the session is lost (<see cref="LoseSession"/>) or the client is disposed.
/// </summary>
/// <remarks>
/// While <see cref="ConnectionState.Suspended"/> or <see cref="ConnectionState.Lost"/>, every operation throws an
/// <see cref="InMemoryConnectionException"/> and every open watch fails with one, as a real backend behaves when its
/// connection is down; <see cref="Resume"/> reports <see cref="ConnectionState.Reconnected"/>.
/// </remarks>
public sealed partial class InMemoryDiscoveryClient : IDiscoveryClient
{
    private readonly InMemoryRegistry _registry;
    private readonly object _gate = new();
    private readonly HashSet<InMemoryWatcher> _watchers = [];
    private readonly ConnectionStateTracker _states = new();
    private long _session;

    internal InMemoryDiscoveryClient(InMemoryRegistry registry)
    {
        _registry = registry;
        _session = registry.NewSession();
    }

    /// <summary>Gets the registry this client writes to.</summary>
    public InMemoryRegistry Registry => _registry;

    /// <summary>Gets the id of the current session; it changes after <see cref="LoseSession"/>.</summary>
    public long SessionId => Interlocked.Read(ref _session);

    /// <inheritdoc/>
    public ConnectionState State => _states.Current;

    /// <inheritdoc/>
    public IObservable<ConnectionState> StateChanges => _states.Changes;

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<string>> ListAsync(string servicePath, CancellationToken cancellationToken = default)
    {
        servicePath = ServicePaths.Normalize(servicePath);
        cancellationToken.ThrowIfCancellationRequested();
        EnsureConnected();
        return ValueTask.FromResult(_registry.List(servicePath));
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<IReadOnlyList<string>> WatchAsync(string servicePath, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        servicePath = ServicePaths.Normalize(servicePath);
        var watcher = new InMemoryWatcher(this, servicePath);
        lock (_gate)
        {
            EnsureConnected();
            _watchers.Add(watcher);
            _registry.AddWatcher(watcher);
        }

        try
        {
            while (true)
            {
                yield return await watcher.NextAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _registry.RemoveWatcher(watcher);
            lock (_gate)
            {
                _watchers.Remove(watcher);
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask<RegisteredEntry> RegisterAsync(ServiceEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            EnsureConnected();
            return ValueTask.FromResult(_registry.Add(entry, this, _session));
        }
    }

    /// <inheritdoc/>
    /// <remarks>The entry must still be this client's, of the session named by <see cref="RegisteredEntry.Generation"/>, at <see cref="RegisteredEntry.Version"/>.</remarks>
    /// <exception cref="DiscoveryException">The entry is gone or was written again since the handle was made.</exception>
    public ValueTask<RegisteredEntry> UpdateAsync(RegisteredEntry registration, string instance, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentException.ThrowIfNullOrEmpty(instance);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            EnsureConnected();
            return ValueTask.FromResult(_registry.Update(registration, instance, this));
        }
    }

    /// <inheritdoc/>
    public ValueTask DeregisterAsync(RegisteredEntry registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            EnsureConnected();
            _registry.Remove(registration, this);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Ends the session: every entry of this client vanishes, watches end, the state becomes Closed.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_states.Current == ConnectionState.Closed)
            {
                return ValueTask.CompletedTask;
            }

            _registry.RemoveSession(this);
            FailWatchersLocked(new ObjectDisposedException(nameof(InMemoryDiscoveryClient), "The in-memory discovery client was disposed."));
            _states.Close();
        }

        return ValueTask.CompletedTask;
    }

    private void EnsureConnected()
    {
        var state = _states.Current;
        ObjectDisposedException.ThrowIf(state == ConnectionState.Closed, this);
        if (state is ConnectionState.Suspended or ConnectionState.Lost)
        {
            throw new InMemoryConnectionException($"The in-memory discovery client is {state}; call Resume() to reconnect.");
        }
    }

    private void FailWatchersLocked(Exception error)
    {
        foreach (var watcher in _watchers)
        {
            _registry.RemoveWatcher(watcher);
            watcher.Fail(error);
        }

        _watchers.Clear();
    }
}
