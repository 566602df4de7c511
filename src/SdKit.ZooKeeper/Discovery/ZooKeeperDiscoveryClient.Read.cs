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

        var instances = new InstanceNodes(_zk, servicePath, _logger);
        await instances.UpdateAsync(children.Children, cancellationToken).ConfigureAwait(false);
        return instances.Snapshot(children.Children);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// A one-shot children watch is re-armed after every change; the data of new children is read pipelined and
    /// that of known children is never read again. A deleted service path turns into an empty set and is watched for
    /// its creation. Connection loss during a read and session expiry are thrown (the watch itself survives a resumed
    /// session); the <see cref="Instances.Instancer"/> then backs off and watches again.
    /// </remarks>
    public async IAsyncEnumerable<IReadOnlyList<string>> WatchAsync(string servicePath, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        CheckServicePath(servicePath);
        ThrowIfDisposed();
        var instances = new InstanceNodes(_zk, servicePath, _logger);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Watched<NodeChildren>? listed;
            try
            {
                listed = await _zk.GetChildrenAndWatchAsync(servicePath, cancellationToken).ConfigureAwait(false);
            }
            catch (NoNodeException)
            {
                listed = null;
            }

            if (listed is null)
            {
                var exists = await _zk.ExistsAndWatchAsync(servicePath, cancellationToken).ConfigureAwait(false);
                if (exists.Value is not null)
                {
                    // Created between the two reads: list it right away.
                    continue;
                }

                instances.Clear();
                yield return [];
                await exists.Changed.WaitAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            await instances.UpdateAsync(listed.Value.Children, cancellationToken).ConfigureAwait(false);
            yield return instances.Snapshot(listed.Value.Children);
            await listed.Changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static void CheckServicePath(string servicePath, [CallerArgumentExpression(nameof(servicePath))] string? paramName = null)
    {
        ServicePaths.Validate(servicePath, paramName);
        ZooKeeperPaths.Validate(servicePath, sequential: false, paramName);
    }
}
