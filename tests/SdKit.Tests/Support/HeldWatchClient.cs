using System.Runtime.CompilerServices;
using SdKit.Client;
using SdKit.InMemory;

namespace SdKit.Tests.Support;

/// <summary>
/// A client of an in-memory registry whose watches stay silent until <see cref="Release"/>, like a registry that is
/// slow to give its first answer; everything else goes straight to the in-memory client.
/// </summary>
internal sealed class HeldWatchClient(InMemoryDiscoveryClient inner) : IDiscoveryClient
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConnectionState State => inner.State;

    public IObservable<ConnectionState> StateChanges => inner.StateChanges;

    /// <summary>Lets every held and future watch start.</summary>
    public void Release() => _released.TrySetResult();

    public ValueTask<IReadOnlyList<string>> ListAsync(string servicePath, CancellationToken cancellationToken = default)
        => inner.ListAsync(servicePath, cancellationToken);

    public async IAsyncEnumerable<IReadOnlyList<string>> WatchAsync(string servicePath, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await _released.Task.WaitAsync(cancellationToken);
        await foreach (var snapshot in inner.WatchAsync(servicePath, cancellationToken))
        {
            yield return snapshot;
        }
    }

    public ValueTask<RegisteredEntry> RegisterAsync(ServiceEntry entry, CancellationToken cancellationToken = default)
        => inner.RegisterAsync(entry, cancellationToken);

    public ValueTask DeregisterAsync(RegisteredEntry registration, CancellationToken cancellationToken = default)
        => inner.DeregisterAsync(registration, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
