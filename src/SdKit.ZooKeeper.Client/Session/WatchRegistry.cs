using SdKit.ZooKeeper.Client.Protocol;
using SdKit.ZooKeeper.Client.Protocol.Requests;

namespace SdKit.ZooKeeper.Client.Session;

/// <summary>
/// The client's watches, keyed by server path. The server keeps one watch per (connection, path, table) and sends one
/// notification per change; this registry fans it out to every local watcher. Completing a watcher never blocks:
/// one-shot tasks run their continuations asynchronously and persistent watches post to unbounded channels.
/// </summary>
internal sealed class WatchRegistry(string? chroot)
{
    private readonly object _lock = new();
    private readonly Dictionary<string, List<TaskCompletionSource<WatchedEvent>>> _data = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<TaskCompletionSource<WatchedEvent>>> _exist = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<TaskCompletionSource<WatchedEvent>>> _child = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<PersistentWatch>> _persistent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<PersistentWatch>> _recursive = new(StringComparer.Ordinal);

    /// <summary>Records the watch a read left, according to its outcome (exists on a missing node leaves an exist watch).</summary>
    public void Register(WatchRequest watch, ZooKeeperErrorCode outcome)
    {
        var table = (watch.Kind, outcome) switch
        {
            (WatchKind.Exist, ZooKeeperErrorCode.Ok) => _data,
            (WatchKind.Exist, ZooKeeperErrorCode.NoNode) => _exist,
            (WatchKind.Data, ZooKeeperErrorCode.Ok) => _data,
            (WatchKind.Child, ZooKeeperErrorCode.Ok) => _child,
            _ => null,
        };
        if (table is null)
        {
            return;
        }

        lock (_lock)
        {
            Add(table, watch.ServerPath, watch.Event);
        }
    }

    /// <summary>Records data watches that a SetWatches request is about to leave on the server.</summary>
    public void Register(IReadOnlyList<WatchRequest> watches)
    {
        lock (_lock)
        {
            foreach (var watch in watches)
            {
                Add(_data, watch.ServerPath, watch.Event);
            }
        }
    }

    /// <summary>Forgets data watches whose SetWatches request failed (those that fired meanwhile are gone already).</summary>
    public void Unregister(IReadOnlyList<WatchRequest> watches)
    {
        lock (_lock)
        {
            foreach (var watch in watches)
            {
                if (_data.TryGetValue(watch.ServerPath, out var list) && list.Remove(watch.Event) && list.Count == 0)
                {
                    _data.Remove(watch.ServerPath);
                }
            }
        }
    }

    public void AddPersistent(PersistentWatch watch)
    {
        lock (_lock)
        {
            Add(watch.Mode == AddWatchMode.Persistent ? _persistent : _recursive, watch.ServerPath, watch);
        }
    }

    /// <summary>Removes a persistent watch locally; returns whether no other local watch of any kind uses the path.</summary>
    public bool RemovePersistent(PersistentWatch watch)
    {
        lock (_lock)
        {
            var table = watch.Mode == AddWatchMode.Persistent ? _persistent : _recursive;
            if (table.TryGetValue(watch.ServerPath, out var list) && list.Remove(watch) && list.Count == 0)
            {
                table.Remove(watch.ServerPath);
            }

            var path = watch.ServerPath;
            return !_data.ContainsKey(path) && !_exist.ContainsKey(path) && !_child.ContainsKey(path)
                && !_persistent.ContainsKey(path) && !_recursive.ContainsKey(path);
        }
    }

    /// <summary>Delivers a notification to every matching watcher, removing the one-shot ones.</summary>
    public void Dispatch(WatcherEvent notification)
    {
        var path = notification.Path;
        var type = notification.Type;
        var delivered = new WatchedEvent(type, Chroot.Strip(chroot, path));
        List<TaskCompletionSource<WatchedEvent>>? oneShot = null;
        List<PersistentWatch>? persistent = null;
        lock (_lock)
        {
            if (type is WatchedEventType.NodeCreated or WatchedEventType.NodeDataChanged or WatchedEventType.NodeDeleted)
            {
                Take(_data, path, ref oneShot);
                Take(_exist, path, ref oneShot);
            }

            if (type is WatchedEventType.NodeChildrenChanged or WatchedEventType.NodeDeleted)
            {
                Take(_child, path, ref oneShot);
            }

            if (_persistent.TryGetValue(path, out var exact))
            {
                (persistent ??= []).AddRange(exact);
            }

            if (type != WatchedEventType.NodeChildrenChanged && _recursive.Count > 0)
            {
                for (var ancestor = path; ancestor is not null; ancestor = Parent(ancestor))
                {
                    if (_recursive.TryGetValue(ancestor, out var recursive))
                    {
                        (persistent ??= []).AddRange(recursive);
                    }
                }
            }
        }

        if (oneShot is not null)
        {
            foreach (var watcher in oneShot)
            {
                watcher.TrySetResult(delivered);
            }
        }

        if (persistent is not null)
        {
            foreach (var watcher in persistent)
            {
                watcher.Post(delivered);
            }
        }
    }

    /// <summary>
    /// Tells every persistent watch that its connection was re-established (a <see cref="WatchedEventType.None"/>
    /// event): ZooKeeper re-arms them without catch-up events, so their owners must read again.
    /// </summary>
    public void NotifyResumed()
    {
        List<PersistentWatch> resumed = [];
        lock (_lock)
        {
            foreach (var list in _persistent.Values.Concat(_recursive.Values))
            {
                resumed.AddRange(list);
            }
        }

        resumed.ForEach(w => w.Post(new WatchedEvent(WatchedEventType.None, w.Path)));
    }

    /// <summary>Removes local watches after a successful removeWatches, telling each watcher it was removed.</summary>
    public void RemoveLocal(string serverPath, WatcherType type)
    {
        List<TaskCompletionSource<WatchedEvent>>? data = null;
        List<TaskCompletionSource<WatchedEvent>>? child = null;
        List<PersistentWatch>? persistent = null;
        lock (_lock)
        {
            if (type is WatcherType.Data or WatcherType.Any)
            {
                Take(_data, serverPath, ref data);
                Take(_exist, serverPath, ref data);
            }

            if (type is WatcherType.Children or WatcherType.Any)
            {
                Take(_child, serverPath, ref child);
            }

            if (type == WatcherType.Any)
            {
                TakePersistent(_persistent, serverPath, ref persistent);
                TakePersistent(_recursive, serverPath, ref persistent);
            }
        }

        var clientPath = Chroot.Strip(chroot, serverPath);
        data?.ForEach(w => w.TrySetResult(new WatchedEvent(WatchedEventType.DataWatchRemoved, clientPath)));
        child?.ForEach(w => w.TrySetResult(new WatchedEvent(WatchedEventType.ChildWatchRemoved, clientPath)));
        persistent?.ForEach(w =>
        {
            w.Post(new WatchedEvent(WatchedEventType.PersistentWatchRemoved, clientPath));
            w.Complete(null);
        });
    }

    /// <summary>Ends every watch (session expired or client closed).</summary>
    public void FailAll(Exception error)
    {
        List<TaskCompletionSource<WatchedEvent>> oneShot = [];
        List<PersistentWatch> persistent = [];
        lock (_lock)
        {
            foreach (var table in new[] { _data, _exist, _child })
            {
                foreach (var list in table.Values)
                {
                    oneShot.AddRange(list);
                }

                table.Clear();
            }

            foreach (var table in new[] { _persistent, _recursive })
            {
                foreach (var list in table.Values)
                {
                    persistent.AddRange(list);
                }

                table.Clear();
            }
        }

        oneShot.ForEach(w => w.TrySetException(error));
        persistent.ForEach(w => w.Complete(error));
    }

    /// <summary>Splits the current watches into SetWatches batches whose paths add up to at most <paramref name="maxBatchChars"/>.</summary>
    public List<WatchSet> Snapshot(int maxBatchChars)
    {
        var batches = new List<WatchSet>();
        var current = new WatchSet();
        var size = 0;
        lock (_lock)
        {
            AddAll(_data.Keys, s => s.Data);
            AddAll(_exist.Keys, s => s.Exist);
            AddAll(_child.Keys, s => s.Child);
            AddAll(_persistent.Keys, s => s.Persistent);
            AddAll(_recursive.Keys, s => s.PersistentRecursive);
        }

        if (!current.IsEmpty)
        {
            batches.Add(current);
        }

        return batches;

        void AddAll(IEnumerable<string> paths, Func<WatchSet, List<string>> list)
        {
            foreach (var path in paths)
            {
                if (size + path.Length > maxBatchChars && !current.IsEmpty)
                {
                    batches.Add(current);
                    current = new WatchSet();
                    size = 0;
                }

                list(current).Add(path);
                size += path.Length;
            }
        }
    }

    private static void Add<T>(Dictionary<string, List<T>> table, string path, T watcher)
    {
        if (!table.TryGetValue(path, out var list))
        {
            table[path] = list = [];
        }

        list.Add(watcher);
    }

    private static void Take(Dictionary<string, List<TaskCompletionSource<WatchedEvent>>> table, string path, ref List<TaskCompletionSource<WatchedEvent>>? into)
    {
        if (table.Remove(path, out var list))
        {
            (into ??= []).AddRange(list);
        }
    }

    private static void TakePersistent(Dictionary<string, List<PersistentWatch>> table, string path, ref List<PersistentWatch>? into)
    {
        if (table.Remove(path, out var list))
        {
            (into ??= []).AddRange(list);
        }
    }

    private static string? Parent(string path)
    {
        if (path == "/")
        {
            return null;
        }

        var slash = path.LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }
}
