using System.Text;
using Microsoft.Extensions.Logging;

namespace SdKit.ZooKeeper.Discovery;

/// <summary>
/// The instance strings of the children of one service path, read once per child: new children are read all at
/// once (pipelined on the session), gone ones forgotten. Instance nodes are written once, so known data is never
/// read again.
/// </summary>
internal sealed class InstanceNodes
{
    private readonly ZooKeeperClient _zk;
    private readonly string _servicePath;
    private readonly ILogger _logger;
    private readonly Dictionary<string, string> _known = new(StringComparer.Ordinal);

    public InstanceNodes(ZooKeeperClient zk, string servicePath, ILogger logger)
    {
        _zk = zk;
        _servicePath = servicePath;
        _logger = logger;
    }

    /// <summary>Returns the instance of a node: its data as UTF-8, or its name when it has no data (the seed layout).</summary>
    public static string InstanceOf(string name, ReadOnlySpan<byte> data) => data.IsEmpty ? name : Encoding.UTF8.GetString(data);

    /// <summary>Forgets every child.</summary>
    public void Clear() => _known.Clear();

    /// <summary>Reads the children not known yet, all requests in flight at once, and forgets the ones gone.</summary>
    /// <exception cref="ZooKeeperException">A read failed for another reason than the child having gone meanwhile.</exception>
    public async Task UpdateAsync(IReadOnlyList<string> children, CancellationToken cancellationToken)
    {
        if (_known.Count > 0)
        {
            var current = new HashSet<string>(children, StringComparer.Ordinal);
            foreach (var gone in _known.Keys.Where(k => !current.Contains(k)).ToList())
            {
                _known.Remove(gone);
            }
        }

        var reads = new List<(string Name, Task<NodeData> Read)>();
        foreach (var child in children)
        {
            if (!_known.ContainsKey(child))
            {
                reads.Add((child, _zk.GetDataAsync(_servicePath + "/" + child, cancellationToken)));
            }
        }

        Exception? failure = null;
        foreach (var (name, read) in reads)
        {
            try
            {
                var node = await read.ConfigureAwait(false);
                _known[name] = InstanceOf(name, node.Data.Span);
            }
            catch (NoNodeException)
            {
                // Deleted since the listing; the children watch reports it.
            }
            catch (NoAuthException ex)
            {
                // go-kit skips children it cannot read; so does SdKit, but says so.
                ZooKeeperDiscoveryClient.Log.ChildUnreadable(_logger, _servicePath + "/" + name, ex);
            }
            catch (Exception ex) when (ex is ZooKeeperException or OperationCanceledException)
            {
                // Await every read before throwing, so no failed task goes unobserved.
                failure ??= ex;
            }
        }

        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
    }

    /// <summary>Returns the instances of <paramref name="children"/> that could be read, in their order.</summary>
    public IReadOnlyList<string> Snapshot(IReadOnlyList<string> children)
    {
        var instances = new List<string>(children.Count);
        foreach (var child in children)
        {
            if (_known.TryGetValue(child, out var instance))
            {
                instances.Add(instance);
            }
        }

        return instances;
    }
}
