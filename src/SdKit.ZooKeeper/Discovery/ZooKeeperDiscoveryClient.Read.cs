using System.Runtime.CompilerServices;
using SdKit.Client;

namespace SdKit.ZooKeeper.Discovery;

/// <content>Listing and watching a service path.</content>
public sealed partial class ZooKeeperDiscoveryClient
{
    /// <inheritdoc/>
    private async ValueTask<IReadOnlyList<string>> ListCoreAsync(string servicePath, CancellationToken cancellationToken = default)
    {
        servicePath = CheckServicePath(servicePath);
        ThrowIfDisposed();
        NodeChildren children;
        try
        {
            children = await _zk.GetChildrenAsync(servicePath, cancellationToken).ConfigureAwait(false);
        }
        catch (NoNodeException)
        {
            return [];
        }

        var instances = new InstanceNodes(_instanceReader, servicePath);
        await instances.UpdateAsync(children.Children, cancellationToken).ConfigureAwait(false);
        return instances.Snapshot(children.Children);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// By default one persistent recursive watch reports each created, deleted or changed instance node, and only
    /// those nodes are read; after a lost connection the path is listed and read again, since ZooKeeper does not
    /// replay what changed meanwhile (see <see cref="ZooKeeperDiscoveryOptions.WatchMode"/>; servers before 3.6 get a
    /// one-shot children watch re-armed with a listing after every change). Many new nodes are read in multiRead
    /// batches (<see cref="ZooKeeperDiscoveryOptions.ReadBatchSize"/>), all in flight at once. A missing or deleted
    /// service path is an empty set that fills in when the path appears. All watches of one path on this client share
    /// one ZooKeeper watch and one read per change; a slow consumer skips to the latest set. Session expiry is thrown
    /// (with a children watch, so is a connection lost during a read); the <see cref="Instances.Instancer"/> then
    /// backs off and watches again.
    /// </remarks>
    private async IAsyncEnumerable<IReadOnlyList<string>> WatchCoreAsync(string servicePath, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        servicePath = CheckServicePath(servicePath);
        ThrowIfDisposed();
        using var subscription = SubscribeShared(servicePath);
        var snapshots = subscription.Snapshots;
        while (await snapshots.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (snapshots.TryRead(out var snapshot))
            {
                yield return snapshot;
            }
        }

        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(subscription.Failure!);
    }

    /// <summary>The watch loop of one path, in the configured mode (falling back to children watches on servers before 3.6).</summary>
    private async IAsyncEnumerable<IReadOnlyList<string>> WatchPathAsync(string servicePath, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        PersistentWatch? persistent = null;
        if (_options.WatchMode == ZooKeeperWatchMode.PersistentRecursive && !_persistentWatchUnsupported)
        {
            try
            {
                persistent = await _zk.AddWatchAsync(servicePath, AddWatchMode.PersistentRecursive, cancellationToken).ConfigureAwait(false);
            }
            catch (UnimplementedException ex)
            {
                // A server before 3.6: it also dropped the connection, which the session resumes.
                _persistentWatchUnsupported = true;
                Log.PersistentWatchUnsupported(_logger, servicePath, ex);
            }
        }

        if (persistent is not null)
        {
            await using (persistent.ConfigureAwait(false))
            {
                await foreach (var snapshot in new RecursiveWatchLoop(_instanceReader, servicePath, _logger).RunAsync(persistent, cancellationToken).ConfigureAwait(false))
                {
                    yield return snapshot;
                }
            }

            yield break;
        }

        await foreach (var snapshot in PathWatchLoop.RunAsync(_instanceReader, servicePath, cancellationToken).ConfigureAwait(false))
        {
            yield return snapshot;
        }
    }

    private SharedPathWatch.Subscription SubscribeShared(string servicePath)
    {
        while (true)
        {
            SharedPathWatch watch;
            var started = false;
            lock (_watches)
            {
                if (!_watches.TryGetValue(servicePath, out watch!))
                {
                    watch = new SharedPathWatch(WatchPathAsync, servicePath, _logger, ended =>
                    {
                        lock (_watches)
                        {
                            if (_watches.TryGetValue(ended.ServicePath, out var current) && current == ended)
                            {
                                _watches.Remove(ended.ServicePath);
                            }
                        }
                    });
                    _watches.Add(servicePath, watch);
                    started = true;
                }
            }

            // A watch that ended meanwhile has removed itself: take (or make) the next one.
            if (watch.TrySubscribe() is { } subscription)
            {
                if (started)
                {
                    watch.Start();
                }

                return subscription;
            }
        }
    }

    /// <summary>Checks the path against SdKit's and ZooKeeper's rules and returns it without its trailing <c>/</c>.</summary>
    private static string CheckServicePath(string servicePath, [CallerArgumentExpression(nameof(servicePath))] string? paramName = null)
    {
        servicePath = ServicePaths.Normalize(servicePath, paramName);
        ZooKeeperPaths.Validate(servicePath, sequential: false, paramName);
        return servicePath;
    }
}
