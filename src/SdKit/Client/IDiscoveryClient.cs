namespace SdKit.Client;

/// <summary>
/// The one contract a registry backend implements (go-kit's <c>Client</c>). Everything above it — the
/// <see cref="Instances.IInstancer"/>, the <see cref="Registration.IRegistrar"/>, endpointers and balancers — is
/// written once, in the core, over this interface.
/// </summary>
/// <remarks>
/// <para>
/// A service path names one service, for example <c>/services/hello</c>; its live instances are the entries
/// directly below it. How an entry is laid out (a ZooKeeper node, an etcd key) is the backend's business; what
/// comes back from <see cref="ListAsync"/> and <see cref="WatchAsync"/> is always the instance strings.
/// </para>
/// <para>
/// Entries registered through a client live only as long as that client's session (ZooKeeper) or lease (etcd).
/// When the backend knows they are gone it reports <see cref="ConnectionState.Lost"/>; once it can write again it
/// reports <see cref="ConnectionState.Reconnected"/>, and the <see cref="Registration.IRegistrar"/> registers again.
/// </para>
/// </remarks>
public interface IDiscoveryClient : IAsyncDisposable
{
    /// <summary>Gets the current connection state.</summary>
    ConnectionState State { get; }

    /// <summary>
    /// Gets the connection states: a subscriber receives the current state at once, then every change.
    /// Observers are called on the backend's own thread and must not block.
    /// </summary>
    IObservable<ConnectionState> StateChanges { get; }

    /// <summary>Lists the instances registered under <paramref name="servicePath"/>, in no particular order.</summary>
    /// <param name="servicePath">The service path, for example <c>/services/hello</c>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The instance strings; empty when the path does not exist.</returns>
    /// <exception cref="ArgumentException">The path is not valid for this backend.</exception>
    /// <exception cref="DiscoveryException">The backend could not be read.</exception>
    ValueTask<IReadOnlyList<string>> ListAsync(string servicePath, CancellationToken cancellationToken = default);

    /// <summary>
    /// Watches <paramref name="servicePath"/>: yields the whole current set of instances at once, then the whole
    /// set again after every change. A missing path yields an empty set and fills in when the path appears.
    /// </summary>
    /// <remarks>
    /// The sequence ends only through <paramref name="cancellationToken"/>. A backend failure is thrown from the
    /// enumerator; the caller (normally the <see cref="Instances.IInstancer"/>) decides to back off and watch again.
    /// Consecutive snapshots may be equal; deduplication is the caller's job.
    /// </remarks>
    /// <param name="servicePath">The service path, for example <c>/services/hello</c>.</param>
    /// <param name="cancellationToken">Stops the watch.</param>
    /// <returns>An endless sequence of full snapshots.</returns>
    IAsyncEnumerable<IReadOnlyList<string>> WatchAsync(string servicePath, CancellationToken cancellationToken = default);

    /// <summary>
    /// Registers <paramref name="entry"/> for as long as this client's session or lease lives.
    /// Calling it twice with the same entry registers two entries.
    /// </summary>
    /// <param name="entry">What to register.</param>
    /// <param name="cancellationToken">Cancels the registration.</param>
    /// <returns>A handle naming exactly the entry written, for <see cref="DeregisterAsync"/>.</returns>
    /// <exception cref="ArgumentException">The entry is not valid for this backend.</exception>
    /// <exception cref="DiscoveryException">The backend refused or could not be reached.</exception>
    ValueTask<RegisteredEntry> RegisterAsync(ServiceEntry entry, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the instance string of the entry named by <paramref name="registration"/> in place: same key or node,
    /// same session or lease, so watchers see one change (the old string replaced by the new one) and never a gap.
    /// </summary>
    /// <remarks>
    /// The write is conditional: it succeeds only while the entry still belongs to the registration's session or
    /// lease (and, where the backend versions entries, is still at <see cref="RegisteredEntry.Version"/>). Nothing is
    /// written otherwise; register again instead.
    /// </remarks>
    /// <param name="registration">A handle returned by <see cref="RegisterAsync"/> or a previous update of this client.</param>
    /// <param name="instance">The new instance string.</param>
    /// <param name="cancellationToken">Cancels the update.</param>
    /// <returns>The handle of the updated entry (its <see cref="RegisteredEntry.Entry"/> carries the new string); use it for later updates and the deregistration.</returns>
    /// <exception cref="ArgumentException"><paramref name="instance"/> is empty, or the handle was not made by this kind of client.</exception>
    /// <exception cref="NotSupportedException">The backend's layout keeps the instance in the key itself (ZooKeeper's named layout).</exception>
    /// <exception cref="DiscoveryException">
    /// The entry is gone (lost with its session or lease, or deregistered), was changed by another writer since the
    /// handle was made (a version conflict), or the backend could not be reached.
    /// </exception>
    ValueTask<RegisteredEntry> UpdateAsync(RegisteredEntry registration, string instance, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes exactly the entry named by <paramref name="registration"/>. An entry that is already gone
    /// (deregistered before, or lost with its session or lease) counts as success.
    /// </summary>
    /// <param name="registration">A handle returned by <see cref="RegisterAsync"/> of this client.</param>
    /// <param name="cancellationToken">Cancels the removal.</param>
    /// <exception cref="DiscoveryException">The backend could not be reached.</exception>
    ValueTask DeregisterAsync(RegisteredEntry registration, CancellationToken cancellationToken = default);
}
