using System.Globalization;
using SdKit.Client;

namespace SdKit.InMemory;

/// <summary>
/// A registry held in memory and shared by several <see cref="InMemoryDiscoveryClient"/>s, with the semantics of a
/// real one: entries belong to the session of the client that wrote them and vanish when it ends, and every
/// watcher of a service path sees the whole set after each change.
/// </summary>
/// <remarks>
/// It is the embedded default of the demo and what application authors use in their own unit tests: create one
/// registry, one client per simulated process (<see cref="CreateClient"/>), and use
/// <see cref="InMemoryDiscoveryClient.Suspend"/>, <see cref="InMemoryDiscoveryClient.LoseSession"/> and
/// <see cref="InMemoryDiscoveryClient.Resume"/> to simulate outages. Thread-safe.
/// </remarks>
public sealed class InMemoryRegistry
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Dictionary<string, StoredEntry>> _services = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<InMemoryWatcher>> _watchers = new(StringComparer.Ordinal);
    private long _sequence;
    private long _versions;
    private long _sessions;

    /// <summary>Creates a client with a new session, connected at once.</summary>
    /// <returns>A new client; dispose it to end its session (its entries vanish).</returns>
    public InMemoryDiscoveryClient CreateClient() => new(this);

    /// <summary>Lists the instances under <paramref name="servicePath"/>, sorted, whatever any client's state.</summary>
    /// <param name="servicePath">The service path.</param>
    /// <returns>The instance strings; empty when nothing is registered there.</returns>
    /// <exception cref="ArgumentException"><paramref name="servicePath"/> is not a valid service path.</exception>
    public IReadOnlyList<string> Snapshot(string servicePath)
    {
        servicePath = ServicePaths.Normalize(servicePath);
        lock (_gate)
        {
            return SnapshotLocked(servicePath);
        }
    }

    internal long NewSession() => Interlocked.Increment(ref _sessions);

    internal RegisteredEntry Add(ServiceEntry entry, InMemoryDiscoveryClient owner, long session)
    {
        lock (_gate)
        {
            var id = entry.Id ?? "i-" + (++_sequence).ToString("D10", CultureInfo.InvariantCulture);
            var key = entry.ServicePath + "/" + id;
            if (!_services.TryGetValue(entry.ServicePath, out var entries))
            {
                entries = new Dictionary<string, StoredEntry>(StringComparer.Ordinal);
                _services.Add(entry.ServicePath, entries);
            }

            // Like an etcd put, an explicit id replaces whatever was stored under it.
            var version = ++_versions;
            entries[key] = new StoredEntry(entry.Instance, owner, session, version);
            NotifyLocked(entry.ServicePath);
            return new RegisteredEntry(entry, key, session, version);
        }
    }

    internal RegisteredEntry Update(RegisteredEntry registration, string instance, InMemoryDiscoveryClient owner)
    {
        lock (_gate)
        {
            var path = registration.Entry.ServicePath;
            if (!_services.TryGetValue(path, out var entries)
                || !entries.TryGetValue(registration.Key, out var stored)
                || !ReferenceEquals(stored.Owner, owner)
                || stored.Session != registration.Generation)
            {
                throw new DiscoveryException($"The entry '{registration.Key}' is gone (lost with its session or deregistered); it cannot be updated, register it again.");
            }

            if (stored.Version != registration.Version)
            {
                throw new DiscoveryException($"The entry '{registration.Key}' is at version {stored.Version}, not {registration.Version}: it was written since this handle was made.");
            }

            var version = ++_versions;
            entries[registration.Key] = stored with { Instance = instance, Version = version };
            NotifyLocked(path);
            return new RegisteredEntry(registration.Entry.WithInstance(instance), registration.Key, registration.Generation, version);
        }
    }

    internal void Remove(RegisteredEntry registration, InMemoryDiscoveryClient owner)
    {
        lock (_gate)
        {
            var path = registration.Entry.ServicePath;
            if (_services.TryGetValue(path, out var entries)
                && entries.TryGetValue(registration.Key, out var stored)
                && ReferenceEquals(stored.Owner, owner)
                && stored.Session == registration.Generation)
            {
                entries.Remove(registration.Key);
                if (entries.Count == 0)
                {
                    _services.Remove(path);
                }

                NotifyLocked(path);
            }
        }
    }

    internal void RemoveSession(InMemoryDiscoveryClient owner)
    {
        lock (_gate)
        {
            foreach (var (path, entries) in _services.ToArray())
            {
                var owned = entries.Where(e => ReferenceEquals(e.Value.Owner, owner)).Select(e => e.Key).ToArray();
                if (owned.Length == 0)
                {
                    continue;
                }

                foreach (var key in owned)
                {
                    entries.Remove(key);
                }

                if (entries.Count == 0)
                {
                    _services.Remove(path);
                }

                NotifyLocked(path);
            }
        }
    }

    internal IReadOnlyList<string> List(string servicePath) => Snapshot(servicePath);

    internal void AddWatcher(InMemoryWatcher watcher)
    {
        lock (_gate)
        {
            if (!_watchers.TryGetValue(watcher.ServicePath, out var list))
            {
                list = [];
                _watchers.Add(watcher.ServicePath, list);
            }

            list.Add(watcher);
            watcher.Offer(SnapshotLocked(watcher.ServicePath));
        }
    }

    internal void RemoveWatcher(InMemoryWatcher watcher)
    {
        lock (_gate)
        {
            if (_watchers.TryGetValue(watcher.ServicePath, out var list) && list.Remove(watcher) && list.Count == 0)
            {
                _watchers.Remove(watcher.ServicePath);
            }
        }
    }

    private void NotifyLocked(string servicePath)
    {
        if (_watchers.TryGetValue(servicePath, out var list))
        {
            var snapshot = SnapshotLocked(servicePath);
            foreach (var watcher in list)
            {
                watcher.Offer(snapshot);
            }
        }
    }

    private string[] SnapshotLocked(string servicePath)
    {
        if (!_services.TryGetValue(servicePath, out var entries))
        {
            return [];
        }

        var instances = entries.Values.Select(e => e.Instance).ToArray();
        Array.Sort(instances, StringComparer.Ordinal);
        return instances;
    }

    private readonly record struct StoredEntry(string Instance, InMemoryDiscoveryClient Owner, long Session, long Version);
}
