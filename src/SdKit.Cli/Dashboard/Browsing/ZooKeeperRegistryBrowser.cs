using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using SdKit.Client;
using SdKit.ZooKeeper;
using SdKit.ZooKeeper.Client;
using SdKit.ZooKeeper.Discovery;

namespace SdKit.Cli.Dashboard.Browsing;

/// <summary>
/// ZooKeeper through the discovery client's own <see cref="ZooKeeperClient"/>: the services are the persistent
/// children of the root (watched with a child watch, re-armed after each change), plus the root itself when ephemeral
/// instance nodes sit directly below it (the seed's <c>/go_servers/127.0.0.1:8897</c>). Entry details are each
/// node's stat: the ephemeral owner's session id and the creation time (ctime).
/// </summary>
internal sealed partial class ZooKeeperRegistryBrowser(ZooKeeperDiscoveryClient client, string root, TimeProvider time, ILogger logger) : IRegistryBrowser
{
    /// <summary>How many reads are in flight at once when a large service is read for the first time.</summary>
    private const int ReadsInFlight = 1000;

    private readonly ZooKeeperClient _zk = client.ZooKeeper;

    // Per service, the details of the nodes already read: instance nodes are written once, so they are not read again.
    private readonly Dictionary<string, Dictionary<string, InstanceDetail>> _known = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public event Action<string>? DetailsChanged
    {
        // Node data and owners never change in place; the instancer's events cover every change.
        add { }
        remove { }
    }

    /// <inheritdoc/>
    public string ClientIdentity => _zk.SessionId == 0 ? "no session" : $"session 0x{_zk.SessionId.ToString("x", CultureInfo.InvariantCulture)}";

    /// <inheritdoc/>
    public async Task FollowServicesAsync(Action<string> onService, Action<string?> onError, CancellationToken cancellationToken)
    {
        var backoff = new Backoff(timeProvider: time);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var rootReported = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                Task changed;
                try
                {
                    var watched = await _zk.GetChildrenAndWatchAsync(root, cancellationToken).ConfigureAwait(false);
                    seen.IntersectWith(watched.Value.Children);
                    var fresh = watched.Value.Children.Where(seen.Add).ToList();
                    foreach (var (name, stat) in await StatAllAsync(fresh, cancellationToken).ConfigureAwait(false))
                    {
                        if (stat is not { } found)
                        {
                            seen.Remove(name);
                        }
                        else if (!found.IsEphemeral)
                        {
                            onService(root + "/" + name);
                        }
                        else if (!rootReported)
                        {
                            rootReported = true;
                            onService(root);
                        }
                    }

                    changed = watched.Changed;
                }
                catch (NoNodeException)
                {
                    // No root yet: wait for its creation, then list it.
                    var watched = await _zk.ExistsAndWatchAsync(root, cancellationToken).ConfigureAwait(false);
                    if (watched.Value is not null)
                    {
                        continue;
                    }

                    changed = watched.Changed;
                }

                onError(null);
                backoff.Reset();
                await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A lost session faults the watch, a lost connection fails the read: say so on the page and list again.
                var pause = backoff.Next();
                LogFollowFailed(logger, root, pause.TotalMilliseconds, ex);
                onError($"listing the services under {root} failed: {ex.Message}");
                await Task.Delay(pause, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<InstanceDetail>> ReadDetailsAsync(string servicePath, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> names;
        try
        {
            names = (await _zk.GetChildrenAsync(servicePath, cancellationToken).ConfigureAwait(false)).Children;
        }
        catch (NoNodeException)
        {
            names = [];
        }

        Dictionary<string, InstanceDetail> known;
        lock (_known)
        {
            if (!_known.TryGetValue(servicePath, out known!))
            {
                known = new Dictionary<string, InstanceDetail>(StringComparer.Ordinal);
                _known[servicePath] = known;
            }
        }

        var current = names.ToHashSet(StringComparer.Ordinal);
        foreach (var gone in known.Keys.Where(name => !current.Contains(name)).ToList())
        {
            known.Remove(gone);
        }

        var seenMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        var fresh = names.Where(name => !known.ContainsKey(name)).ToList();
        for (var start = 0; start < fresh.Count; start += ReadsInFlight)
        {
            var batch = fresh.Skip(start).Take(ReadsInFlight).Select(name => ReadOneAsync(servicePath, name, seenMs, cancellationToken)).ToList();
            foreach (var detail in await Task.WhenAll(batch).ConfigureAwait(false))
            {
                if (detail is not null)
                {
                    known[detail.Key[(servicePath.Length + 1)..]] = detail;
                }
            }
        }

        return [.. known.Values];
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static string Owner(NodeStat stat)
        => stat.IsEphemeral ? $"session 0x{stat.EphemeralOwner.ToString("x", CultureInfo.InvariantCulture)}" : "persistent";

    private async Task<InstanceDetail?> ReadOneAsync(string servicePath, string name, long seenMs, CancellationToken cancellationToken)
    {
        var path = servicePath + "/" + name;
        try
        {
            var node = await _zk.GetDataAsync(path, cancellationToken).ConfigureAwait(false);
            var instance = node.Data.IsEmpty ? name : Encoding.UTF8.GetString(node.Data.Span);
            return new InstanceDetail(path, instance, Owner(node.Stat), node.Stat.CreatedTime, seenMs);
        }
        catch (NoNodeException)
        {
            // Gone meanwhile: the instancer reports the removal.
            return null;
        }
        catch (NoAuthException)
        {
            // Unreadable by this session's credentials: the instancer skips it too.
            return null;
        }
    }

    private async Task<List<(string Name, NodeStat? Stat)>> StatAllAsync(List<string> names, CancellationToken cancellationToken)
    {
        var stats = new List<(string, NodeStat?)>(names.Count);
        for (var start = 0; start < names.Count; start += ReadsInFlight)
        {
            var batch = names.Skip(start).Take(ReadsInFlight).Select(async name => (name, await _zk.ExistsAsync(root + "/" + name, cancellationToken).ConfigureAwait(false))).ToList();
            stats.AddRange(await Task.WhenAll(batch).ConfigureAwait(false));
        }

        return stats;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listing the services under {Root} failed; listing again in {DelayMs} ms")]
    private static partial void LogFollowFailed(ILogger logger, string root, double delayMs, Exception exception);
}
