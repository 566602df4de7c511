using System.Runtime.CompilerServices;
using SdKit.Client;

namespace SdKit.ZooKeeper.Discovery;

/// <content>Listing and watching a service path.</content>
public sealed partial class ZooKeeperDiscoveryClient
{
    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<string>> ListAsync(string servicePath, CancellationToken cancellationToken = default)
    {
        CheckServicePath(servicePath);
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
    /// A one-shot children watch is re-armed after every change; the data of new children is read in multiRead batches (ZooKeeperDiscoveryOptions.ReadBatchSize), all in flight at once, and
    /// that of known children is never read again. A deleted service path turns into an empty set and is watched for
    /// its creation. All watches of one path on this client share one ZooKeeper watch and one read per change; a
    /// slow consumer skips to the latest set. Connection loss during a read and session expiry are thrown (the watch
    /// itself survives a resumed session); the <see cref="Instances.Instancer"/> then backs off and watches again.
    /// </remarks>
    public async IAsyncEnumerable<IReadOnlyList<string>> WatchAsync(string servicePath, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        CheckServicePath(servicePath);
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
                    watch = new SharedPathWatch(_instanceReader, servicePath, _logger, ended =>
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

    private static void CheckServicePath(string servicePath, [CallerArgumentExpression(nameof(servicePath))] string? paramName = null)
    {
        ServicePaths.Validate(servicePath, paramName);
        ZooKeeperPaths.Validate(servicePath, sequential: false, paramName);
    }
}
