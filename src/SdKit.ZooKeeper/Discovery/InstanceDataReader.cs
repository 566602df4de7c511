using System.Text;
using Microsoft.Extensions.Logging;

namespace SdKit.ZooKeeper.Discovery;

/// <summary>
/// Reads the data of many instance nodes at once: in multiRead batches (one request per batch, all batches in
/// flight together), or as single getData requests, all in flight together, where batching is off or the server
/// predates multiRead. One per discovery client, so that learning the server has no multiRead happens once.
/// </summary>
/// <remarks>
/// Batching matters for large services: a server spends about as long on one small request as on one read inside a
/// batch, so ten thousand single reads cost ten thousand requests' worth of work where forty batches cost forty.
/// </remarks>
internal sealed class InstanceDataReader(ZooKeeperClient zk, int batchSize, ILogger logger)
{
    private volatile bool _singleReads = batchSize <= 1;

    /// <summary>Gets the session the reads go to.</summary>
    public ZooKeeperClient Client => zk;

    /// <summary>
    /// Reads <c>servicePath/name</c> for each of <paramref name="names"/> and calls <paramref name="found"/> with each
    /// readable node's data. Nodes gone meanwhile are skipped (the watch reports their deletion); nodes whose ACL
    /// forbids reading are skipped and logged, as go-kit skips them.
    /// </summary>
    /// <param name="servicePath">The parent of the nodes.</param>
    /// <param name="names">The nodes' names.</param>
    /// <param name="found">
    /// Called with each readable node's name and data as UTF-8 text (empty for no data), in order, on the caller's
    /// flow. Batches decode the text straight out of the reply frame (<see cref="ReadOp.GetDataAsText"/>): no byte
    /// array per node on the way to the instance string.
    /// </param>
    /// <param name="watched">
    /// When given, each node read also gets a one-shot data watch, handed over here with its name (before
    /// <paramref name="found"/> for that node): single reads are getData with a watch, and each multiRead batch is
    /// followed by one SetWatches request for its nodes, relative to the batch's newest data, so nothing changed after
    /// the read is missed.
    /// </param>
    /// <param name="cancellationToken">Stops waiting for the replies.</param>
    /// <exception cref="ZooKeeperException">A read failed for another reason; every read was awaited first.</exception>
    public async Task ReadAsync(string servicePath, IReadOnlyList<string> names, Action<string, string> found, Action<string, Task<WatchedEvent>>? watched, CancellationToken cancellationToken)
    {
        if (names.Count == 0)
        {
            return;
        }

        if (!_singleReads && names.Count > 1)
        {
            try
            {
                await ReadBatchedAsync(servicePath, names, found, watched, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (UnimplementedException ex)
            {
                // A server before 3.6: it also dropped the connection, which the session resumes.
                _singleReads = true;
                ZooKeeperDiscoveryClient.Log.MultiReadUnsupported(logger, servicePath, ex);
            }
        }

        await ReadSinglyAsync(servicePath, names, found, watched, cancellationToken).ConfigureAwait(false);
    }

    private Task ReadBatchedAsync(string servicePath, IReadOnlyList<string> names, Action<string, string> found, Action<string, Task<WatchedEvent>>? watched, CancellationToken cancellationToken)
    {
        var batches = new List<(int Start, Task<Reply> Read)>();
        for (var start = 0; start < names.Count; start += batchSize)
        {
            var ops = new ReadOp[Math.Min(batchSize, names.Count - start)];
            for (var i = 0; i < ops.Length; i++)
            {
                ops[i] = ReadOp.GetDataAsText(servicePath + "/" + names[start + i]);
            }

            batches.Add((start, ReadBatchAsync(ops)));
        }

        return HandleAsync(servicePath, names, batches, found, watched);

        async Task<Reply> ReadBatchAsync(ReadOp[] ops)
        {
            var results = await zk.MultiReadAsync(ops, cancellationToken).ConfigureAwait(false);
            if (watched is null)
            {
                return new Reply(results, null);
            }

            // multiRead leaves no watches: one SetWatches for the nodes read, relative to the newest data among them.
            var read = new List<int>(results.Count);
            var relativeZxid = 0L;
            for (var i = 0; i < results.Count; i++)
            {
                if (results[i] is GetDataTextOpResult data)
                {
                    read.Add(i);
                    relativeZxid = Math.Max(relativeZxid, data.Stat.ModifiedZxid);
                }
            }

            var watches = new Task<WatchedEvent>?[results.Count];
            if (read.Count > 0)
            {
                var armed = await zk.AddDataWatchesAsync(read.ConvertAll(i => ops[i].Path), relativeZxid, cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < read.Count; i++)
                {
                    watches[read[i]] = armed[i];
                }
            }

            return new Reply(results, watches);
        }
    }

    private Task ReadSinglyAsync(string servicePath, IReadOnlyList<string> names, Action<string, string> found, Action<string, Task<WatchedEvent>>? watched, CancellationToken cancellationToken)
    {
        var reads = new List<(int Start, Task<Reply> Read)>(names.Count);
        for (var i = 0; i < names.Count; i++)
        {
            reads.Add((i, ReadOneAsync(servicePath + "/" + names[i])));
        }

        return HandleAsync(servicePath, names, reads, found, watched);

        // A single read's outcome in the shape of a multiRead's, so that one handler serves both.
        async Task<Reply> ReadOneAsync(string path)
        {
            try
            {
                if (watched is not null)
                {
                    var node = await zk.GetDataAndWatchAsync(path, cancellationToken).ConfigureAwait(false);
                    return new Reply([Text(node.Value)], [node.Changed]);
                }

                return new Reply([Text(await zk.GetDataAsync(path, cancellationToken).ConfigureAwait(false))], null);
            }
            catch (ZooKeeperException ex) when (ex.Code is ZooKeeperErrorCode.NoNode or ZooKeeperErrorCode.NoAuth)
            {
                return new Reply([new ErrorOpResult(ex.Code)], null);
            }
        }

        static GetDataTextOpResult Text(NodeData node) => new(node.Data.IsEmpty ? string.Empty : Encoding.UTF8.GetString(node.Data.Span), node.Stat);
    }

    /// <summary>
    /// Hands each readable node's data to <paramref name="found"/>; result <c>i</c> of a read starting at
    /// <c>Start</c> belongs to <c>names[Start + i]</c>. Nodes gone meanwhile are skipped, unreadable ones logged.
    /// Every read is awaited before the first failure is thrown, so no failed task goes unobserved.
    /// </summary>
    private async Task HandleAsync(string servicePath, IReadOnlyList<string> names, List<(int Start, Task<Reply> Read)> reads, Action<string, string> found, Action<string, Task<WatchedEvent>>? watched)
    {
        Exception? failure = null;
        foreach (var (start, read) in reads)
        {
            IReadOnlyList<MultiResult> results;
            Task<WatchedEvent>?[]? watches;
            try
            {
                (results, watches) = await read.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ZooKeeperException or OperationCanceledException)
            {
                failure ??= ex;
                continue;
            }

            for (var i = 0; i < results.Count; i++)
            {
                var name = names[start + i];
                switch (results[i])
                {
                    case GetDataTextOpResult data:
                        if (watches?[i] is { } watch)
                        {
                            watched!(name, watch);
                        }

                        found(name, data.Text);
                        break;
                    case ErrorOpResult { Code: ZooKeeperErrorCode.NoNode }:
                        break;
                    case ErrorOpResult { Code: ZooKeeperErrorCode.NoAuth }:
                        ZooKeeperDiscoveryClient.Log.ChildUnreadable(logger, servicePath + "/" + name, ZooKeeperException.Create(ZooKeeperErrorCode.NoAuth, servicePath + "/" + name));
                        break;
                    case ErrorOpResult error:
                        failure ??= ZooKeeperException.Create(error.Code, servicePath + "/" + name);
                        break;
                }
            }
        }

        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
    }

    /// <summary>The results of one read request, and the data watches it left (by result index), when asked for.</summary>
    private readonly record struct Reply(IReadOnlyList<MultiResult> Results, Task<WatchedEvent>?[]? Watches);
}
