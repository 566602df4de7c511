using System.Globalization;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using SdKit.Client;
using SdKit.Etcd;

namespace SdKit.Cli.Dashboard.Browsing;

/// <summary>
/// etcd through the discovery client's own dotnet-etcd client: one range of every key under <c>root/</c>, then one
/// watch of that prefix from the next revision. A key's service is its path without the last segment
/// (<c>/services/hello/ab12</c> belongs to <c>/services/hello</c>); its details are its lease. etcd keeps no creation
/// time, so the age shown is the time since the dashboard first saw the key.
/// </summary>
internal sealed partial class EtcdRegistryBrowser(EtcdDiscoveryClient client, string root, TimeProvider time, ILogger logger) : IRegistryBrowser
{
    private static readonly Metadata s_requireLeader = new() { { "hasleader", "true" } };
    private readonly string _prefix = root + "/";

    // Per service path, its keys and their details; guarded by itself.
    private readonly Dictionary<string, Dictionary<string, InstanceDetail>> _services = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public event Action<string>? DetailsChanged;

    /// <inheritdoc/>
    public string ClientIdentity => client.LeaseId is { } lease ? $"lease 0x{lease.ToString("x", CultureInfo.InvariantCulture)}" : "no lease (being replaced)";

    /// <inheritdoc/>
    public async Task FollowServicesAsync(Action<string> onService, Action<string?> onError, CancellationToken cancellationToken)
    {
        var backoff = new Backoff(timeProvider: time);
        var start = ByteString.CopyFromUtf8(_prefix);

        // The prefix ends with '/', so every key below it sorts before the prefix with '/' raised to '0'.
        var end = ByteString.CopyFromUtf8(_prefix[..^1] + "0");
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var listed = await client.Etcd.GetAsync(new RangeRequest { Key = start, RangeEnd = end }, deadline: Deadline(), cancellationToken: cancellationToken).ConfigureAwait(false);
                Replace(listed.Kvs, onService);
                onError(null);
                backoff.Reset();
                await FollowAsync(start, end, listed.Header.Revision + 1, onService, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Whatever broke the range or the watch, the next round lists everything again: nothing is missed.
                var pause = backoff.Next();
                LogFollowFailed(logger, _prefix, pause.TotalMilliseconds, ex);
                onError($"reading the keys under {_prefix} failed: {ex.Message}");
                await Task.Delay(pause, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<InstanceDetail>> ReadDetailsAsync(string servicePath, CancellationToken cancellationToken)
    {
        lock (_services)
        {
            IReadOnlyList<InstanceDetail> details = _services.TryGetValue(servicePath, out var keys) ? [.. keys.Values] : [];
            return ValueTask.FromResult(details);
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task FollowAsync(ByteString start, ByteString end, long fromRevision, Action<string> onService, CancellationToken cancellationToken)
    {
        using var call = client.Etcd.GetConnection().WatchClient.Watch(s_requireLeader, cancellationToken: cancellationToken);
        var create = new WatchCreateRequest { Key = start, RangeEnd = end, StartRevision = fromRevision, ProgressNotify = true };
        await call.RequestStream.WriteAsync(new WatchRequest { CreateRequest = create }, cancellationToken).ConfigureAwait(false);
        while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            var response = call.ResponseStream.Current;
            if (response.Canceled || response.CompactRevision > 0)
            {
                throw new InvalidOperationException($"etcd ended the watch of '{_prefix}' ({(response.CompactRevision > 0 ? "revision compacted" : response.CancelReason)}).");
            }

            var changed = new HashSet<string>(StringComparer.Ordinal);
            foreach (var change in response.Events)
            {
                var key = change.Kv.Key.ToStringUtf8();
                if (ServiceOf(key) is not { } service)
                {
                    continue;
                }

                lock (_services)
                {
                    if (change.Type == Mvccpb.Event.Types.EventType.Delete)
                    {
                        if (_services.TryGetValue(service, out var keys))
                        {
                            keys.Remove(key);
                        }
                    }
                    else
                    {
                        Store(service, change.Kv, onService);
                    }
                }

                changed.Add(service);
            }

            foreach (var service in changed)
            {
                DetailsChanged?.Invoke(service);
            }
        }

        throw new InvalidOperationException($"etcd closed the watch of '{_prefix}'.");
    }

    private void Replace(IEnumerable<Mvccpb.KeyValue> kvs, Action<string> onService)
    {
        HashSet<string> touched;
        lock (_services)
        {
            touched = [.. _services.Keys];
            var previous = _services.ToDictionary(s => s.Key, s => new Dictionary<string, InstanceDetail>(s.Value, StringComparer.Ordinal), StringComparer.Ordinal);
            foreach (var keys in _services.Values)
            {
                keys.Clear();
            }

            foreach (var kv in kvs)
            {
                var key = kv.Key.ToStringUtf8();
                if (ServiceOf(key) is { } service)
                {
                    var seen = previous.TryGetValue(service, out var before) && before.TryGetValue(key, out var known) ? known.SeenMs : (long?)null;
                    Store(service, kv, onService, seen);
                    touched.Add(service);
                }
            }
        }

        foreach (var service in touched)
        {
            DetailsChanged?.Invoke(service);
        }
    }

    /// <summary>Records one key; the caller holds the lock.</summary>
    private void Store(string service, Mvccpb.KeyValue kv, Action<string> onService, long? seenMs = null)
    {
        if (!_services.TryGetValue(service, out var keys))
        {
            keys = new Dictionary<string, InstanceDetail>(StringComparer.Ordinal);
            _services[service] = keys;
            onService(service);
        }

        var key = kv.Key.ToStringUtf8();
        var seen = seenMs ?? (keys.TryGetValue(key, out var known) ? known.SeenMs : time.GetUtcNow().ToUnixTimeMilliseconds());
        var owner = kv.Lease == 0 ? "no lease" : $"lease 0x{kv.Lease.ToString("x", CultureInfo.InvariantCulture)}";
        keys[key] = new InstanceDetail(key, kv.Value.ToStringUtf8(), owner, null, seen);
    }

    /// <summary>The service a key belongs to (its path without the last segment), or null when none can be named.</summary>
    private string? ServiceOf(string key)
    {
        var slash = key.LastIndexOf('/');
        if (!key.StartsWith(_prefix, StringComparison.Ordinal) || slash < _prefix.Length - 1 || slash == key.Length - 1)
        {
            return null;
        }

        var service = key[..slash];
        try
        {
            ServicePaths.Validate(service);
            return service;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private DateTime Deadline() => time.GetUtcNow().UtcDateTime + TimeSpan.FromSeconds(10);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the keys under {Prefix} failed; reading them again in {DelayMs} ms")]
    private static partial void LogFollowFailed(ILogger logger, string prefix, double delayMs, Exception exception);
}
