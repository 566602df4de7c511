using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace SdKit.ZooKeeper.Discovery;

/// <summary>
/// The watch of one service path with one-shot watches: list the children with a children watch, read the new ones
/// batched, each with a data watch of its own, yield the full set; then read a child again whenever its data watch
/// fires (yielding the set if it changed), until the children watch fires and the path is listed again. A missing path
/// yields an empty set and is watched for its creation; a deleted path does the same. Never creates nodes.
/// </summary>
/// <remarks>
/// The data watches are what make updates in place visible in this mode: a children watch fires on creations and
/// deletions only. They cost the server one entry in its data-watch table per instance node (each a path and a
/// connection reference, cleared when it fires or the session ends), and no extra round trip for a batch of new nodes:
/// a multiRead cannot leave watches, so each batch is followed by one SetWatches request for all its nodes, relative
/// to the newest data the batch read. Watches re-armed after a reconnect (the session's SetWatches) report every data
/// change made while disconnected, so nothing needs to be read again then.
/// </remarks>
internal static class PathWatchLoop
{
    public static async IAsyncEnumerable<IReadOnlyList<string>> RunAsync(InstanceDataReader reader, string servicePath, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var zk = reader.Client;
        var fired = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
        var instances = new InstanceNodes(reader, servicePath, (name, changed) => Forward(name, changed, fired.Writer));
        var toRead = new HashSet<string>(StringComparer.Ordinal);
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

            var children = listed.Value.Children;
            await instances.UpdateAsync(children, cancellationToken).ConfigureAwait(false);
            yield return instances.Snapshot();
            while (!listed.Changed.IsCompleted)
            {
                var dataChanged = fired.Reader.WaitToReadAsync(cancellationToken).AsTask();
                if (await Task.WhenAny(listed.Changed, dataChanged).ConfigureAwait(false) == listed.Changed)
                {
                    break;
                }

                // Throws when cancelled; the channel itself never completes.
                _ = await dataChanged.ConfigureAwait(false);
                while (fired.Reader.TryRead(out var name))
                {
                    toRead.Add(name);
                }

                // Every node whose watch fired is read again at once (a burst of updates shares batches).
                await instances.RereadAsync(toRead, cancellationToken).ConfigureAwait(false);
                toRead.Clear();
                if (instances.HasChanges)
                {
                    yield return instances.Snapshot();
                }
            }

            await listed.Changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Posts the node's name when its data watch fires; a watch ended by expiry or closing posts nothing (the children watch ends the loop then).</summary>
    private static void Forward(string name, Task<WatchedEvent> changed, ChannelWriter<string> fired)
        => _ = changed.ContinueWith(
            static (task, state) =>
            {
                var (name, fired) = ((string, ChannelWriter<string>))state!;
                if (task.IsCompletedSuccessfully && task.Result.Type is WatchedEventType.NodeDataChanged or WatchedEventType.NodeDeleted)
                {
                    fired.TryWrite(name);
                }
                else
                {
                    _ = task.Exception;
                }
            },
            (name, fired),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
}
