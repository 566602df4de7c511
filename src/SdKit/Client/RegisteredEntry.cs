namespace SdKit.Client;

/// <summary>
/// A handle to one entry written by <see cref="IDiscoveryClient.RegisterAsync"/>: what was registered and the
/// exact key or node path the backend wrote, so that deregistration removes exactly that entry.
/// </summary>
public sealed class RegisteredEntry
{
    /// <summary>Initializes a new handle. Backends create these; applications only pass them back.</summary>
    /// <param name="entry">The entry that was registered.</param>
    /// <param name="key">The key or node path written, for example <c>/services/hello/_c_…-0000000003</c>.</param>
    /// <param name="generation">
    /// The backend's session or lease that owns the entry (a ZooKeeper session id, an etcd lease id), so a
    /// backend can tell a handle of a lost session from a live one.
    /// </param>
    public RegisteredEntry(ServiceEntry entry, string key, long generation)
        : this(entry, key, generation, 0)
    {
    }

    /// <summary>Initializes a new handle that also names the version of the entry written.</summary>
    /// <param name="entry">The entry that was registered.</param>
    /// <param name="key">The key or node path written.</param>
    /// <param name="generation">The backend's session or lease that owns the entry.</param>
    /// <param name="version">
    /// The backend's version of the entry as written (a ZooKeeper node's data version, an etcd key's mod revision), so
    /// that a backend that checks versions in <see cref="IDiscoveryClient.UpdateAsync"/> changes exactly this version;
    /// 0 where the backend has none.
    /// </param>
    public RegisteredEntry(ServiceEntry entry, string key, long generation, long version)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrEmpty(key);
        Entry = entry;
        Key = key;
        Generation = generation;
        Version = version;
    }

    /// <summary>Gets the entry that was registered.</summary>
    public ServiceEntry Entry { get; }

    /// <summary>Gets the key or node path the backend wrote.</summary>
    public string Key { get; }

    /// <summary>Gets the session or lease that owns the entry.</summary>
    public long Generation { get; }

    /// <summary>Gets the backend's version of the entry as written or last updated (0 where the backend has none).</summary>
    public long Version { get; }

    /// <inheritdoc/>
    public override string ToString() => Key;
}
