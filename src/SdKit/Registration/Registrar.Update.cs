using SdKit.Client;

namespace SdKit.Registration;

/// <content>Updating the registered instance string in place.</content>
public sealed partial class Registrar
{
    /// <inheritdoc/>
    /// <remarks>
    /// The new string becomes <see cref="Entry"/> at once, under the registrar's lock, so a registration after a loss
    /// (or the first one, when the registrar has not registered yet) writes it. While the entry is in the registry it
    /// is changed with <see cref="IDiscoveryClient.UpdateAsync"/>: watchers see one change. When that write fails the
    /// exception is thrown and the registry keeps the old string until the next registration; calling again retries.
    /// A typed instance is written with its layout's codec: <c>registrar.UpdateAsync(codec.Encode(instance))</c>.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="instance"/> is empty.</exception>
    /// <exception cref="ObjectDisposedException">The registrar was disposed.</exception>
    /// <exception cref="NotSupportedException">The backend keeps the instance in the key (ZooKeeper's named layout).</exception>
    /// <exception cref="DiscoveryException">The backend refused the update (the entry is gone, a version conflict) or could not be reached.</exception>
    public async Task UpdateAsync(string instance, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instance);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var previous = _entry.Instance;
            Volatile.Write(ref _entry, _entry.WithInstance(instance));
            if (_registration is not { } registration || string.Equals(registration.Entry.Instance, instance, StringComparison.Ordinal))
            {
                return;
            }

            _registration = await _client.UpdateAsync(registration, instance, cancellationToken).ConfigureAwait(false);
            LogUpdated(_logger, _entry.ServicePath, previous, instance, registration.Key);
        }
        finally
        {
            _gate.Release();
        }
    }
}
