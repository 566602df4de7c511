using System.Collections.Concurrent;
using SdKit.Client;
using SdKit.Instances;

namespace SdKit.Hosting.Instances;

/// <summary>
/// One instancer per service path for the whole application: keyed DI resolutions, endpointers and the
/// HttpClient provider share it, so each service is watched once. Disposed with the container.
/// </summary>
internal sealed class InstancerCache(IDiscoveryClient client, CoreComponents components) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<IInstancer>> _instancers = new(StringComparer.Ordinal);
    private volatile bool _disposed;

    /// <summary>Returns the instancer of <paramref name="servicePath"/>, starting it on first use.</summary>
    /// <exception cref="ObjectDisposedException">The application is shutting down.</exception>
    public IInstancer Get(string servicePath)
    {
        servicePath = ServicePaths.Normalize(servicePath);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _instancers.GetOrAdd(servicePath, path => new Lazy<IInstancer>(() => components.CreateInstancer(client, path))).Value;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        foreach (var instancer in _instancers.Values)
        {
            if (instancer.IsValueCreated)
            {
                await instancer.Value.DisposeAsync().ConfigureAwait(false);
            }
        }

        _instancers.Clear();
    }
}
