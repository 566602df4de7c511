using System.Runtime.CompilerServices;
using SdKit.Client;

namespace SdKit.Testing.Clients;

/// <summary>
/// Wraps a real client so that its watches stay silent until <see cref="Release"/>, like a registry slow to give its
/// first answer; every other call goes straight through. Lets a test observe what happens before that answer.
/// </summary>
/// <param name="inner">The client to wrap; owned and disposed with this one.</param>
public sealed class HeldWatchClient(IDiscoveryClient inner) : IDiscoveryClient
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <inheritdoc/>
    public ConnectionState State => inner.State;

    /// <inheritdoc/>
    public IObservable<ConnectionState> StateChanges => inner.StateChanges;

    /// <summary>Lets every held and future watch start.</summary>
    public void Release() => _released.TrySetResult();

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<string>> ListAsync(string servicePath, CancellationToken cancellationToken = default)
        => inner.ListAsync(servicePath, cancellationToken);

    /// <summary>Waits for <see cref="Release"/>, then watches through the wrapped client.</summary>
    /// <param name="servicePath">The service path.</param>
    /// <param name="cancellationToken">Ends the watch, held or not.</param>
    /// <returns>The wrapped client's snapshots.</returns>
    public async IAsyncEnumerable<IReadOnlyList<string>> WatchAsync(string servicePath, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await _released.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var snapshot in inner.WatchAsync(servicePath, cancellationToken).ConfigureAwait(false))
        {
            yield return snapshot;
        }
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
