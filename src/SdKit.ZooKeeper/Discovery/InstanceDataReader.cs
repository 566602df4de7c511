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
    /// <exception cref="ZooKeeperException">A read failed for another reason; every read was awaited first.</exception>
    public async Task ReadAsync(string servicePath, IReadOnlyList<string> names, Action<string, ReadOnlyMemory<byte>> found, CancellationToken cancellationToken)
    {
        if (names.Count == 0)
        {
            return;
        }

        if (!_singleReads && names.Count > 1)
        {
            try
            {
                await ReadBatchedAsync(servicePath, names, found, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (UnimplementedException ex)
            {
                // A server before 3.6: it also dropped the connection, which the session resumes.
                _singleReads = true;
                ZooKeeperDiscoveryClient.Log.MultiReadUnsupported(logger, servicePath, ex);
            }
        }

        await ReadSinglyAsync(servicePath, names, found, cancellationToken).ConfigureAwait(false);
    }

    private Task ReadBatchedAsync(string servicePath, IReadOnlyList<string> names, Action<string, ReadOnlyMemory<byte>> found, CancellationToken cancellationToken)
    {
        var batches = new List<(int Start, Task<IReadOnlyList<MultiResult>> Read)>();
        for (var start = 0; start < names.Count; start += batchSize)
        {
            var ops = new ReadOp[Math.Min(batchSize, names.Count - start)];
            for (var i = 0; i < ops.Length; i++)
            {
                ops[i] = ReadOp.GetData(servicePath + "/" + names[start + i]);
            }

            batches.Add((start, zk.MultiReadAsync(ops, cancellationToken)));
        }

        return HandleAsync(servicePath, names, batches, found);
    }

    private Task ReadSinglyAsync(string servicePath, IReadOnlyList<string> names, Action<string, ReadOnlyMemory<byte>> found, CancellationToken cancellationToken)
    {
        var reads = new List<(int Start, Task<IReadOnlyList<MultiResult>> Read)>(names.Count);
        for (var i = 0; i < names.Count; i++)
        {
            reads.Add((i, ReadOneAsync(servicePath + "/" + names[i])));
        }

        return HandleAsync(servicePath, names, reads, found);

        // A single read's outcome in the shape of a multiRead's, so that one handler serves both.
        async Task<IReadOnlyList<MultiResult>> ReadOneAsync(string path)
        {
            try
            {
                return [new GetDataOpResult(await zk.GetDataAsync(path, cancellationToken).ConfigureAwait(false))];
            }
            catch (ZooKeeperException ex) when (ex.Code is ZooKeeperErrorCode.NoNode or ZooKeeperErrorCode.NoAuth)
            {
                return [new ErrorOpResult(ex.Code)];
            }
        }
    }

    /// <summary>
    /// Hands each readable node's data to <paramref name="found"/>; result <c>i</c> of a read starting at
    /// <c>Start</c> belongs to <c>names[Start + i]</c>. Nodes gone meanwhile are skipped, unreadable ones logged.
    /// Every read is awaited before the first failure is thrown, so no failed task goes unobserved.
    /// </summary>
    private async Task HandleAsync(string servicePath, IReadOnlyList<string> names, List<(int Start, Task<IReadOnlyList<MultiResult>> Read)> reads, Action<string, ReadOnlyMemory<byte>> found)
    {
        Exception? failure = null;
        foreach (var (start, read) in reads)
        {
            IReadOnlyList<MultiResult> results;
            try
            {
                results = await read.ConfigureAwait(false);
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
                    case GetDataOpResult data:
                        found(name, data.Node.Data);
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
}
