using System.Runtime.CompilerServices;

namespace SdKit.ZooKeeper.Discovery;

/// <summary>
/// The watch of one service path: list the children with a one-shot watch, read the new ones batched, yield the
/// full set, wait for the watch, again. A missing path yields an empty set and is watched for its creation; a deleted
/// path does the same. Never creates nodes.
/// </summary>
internal static class PathWatchLoop
{
    public static async IAsyncEnumerable<IReadOnlyList<string>> RunAsync(InstanceDataReader reader, string servicePath, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var zk = reader.Client;
        var instances = new InstanceNodes(reader, servicePath);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Watched<NodeChildren>? listed;
            try
            {
                listed = await zk.GetChildrenAndWatchAsync(servicePath, cancellationToken).ConfigureAwait(false);
            }
            catch (NoNodeException)
            {
                listed = null;
            }

            if (listed is null)
            {
                var exists = await zk.ExistsAndWatchAsync(servicePath, cancellationToken).ConfigureAwait(false);
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
            yield return instances.Snapshot();
            await listed.Changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
