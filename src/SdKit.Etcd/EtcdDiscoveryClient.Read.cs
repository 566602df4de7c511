using System.Runtime.CompilerServices;
using Etcdserverpb;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using SdKit.Client;

namespace SdKit.Etcd;

/// <summary>Listing and watching service paths.</summary>
public sealed partial class EtcdDiscoveryClient
{
    /// <inheritdoc/>
    /// <remarks>The instances are the values of the keys directly below <c>servicePath/</c>.</remarks>
    public async ValueTask<IReadOnlyList<string>> ListAsync(string servicePath, CancellationToken cancellationToken = default)
    {
        var prefix = EtcdKeys.Prefix(servicePath);
        ThrowIfDisposed();
        var start = ByteString.CopyFromUtf8(prefix);
        var request = new RangeRequest { Key = start, RangeEnd = EtcdKeys.RangeEnd(start) };
        RangeResponse response;
        try
        {
            response = await _connection.CallAsync("list", prefix, (deadline, ct) => _connection.Client.GetAsync(request, deadline: deadline, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        }
        catch (EtcdException ex) when (ex.IsTransient)
        {
            OnTransientFailure();
            throw;
        }

        return [.. response.Kvs.Where(kv => EtcdKeys.IsEntry(kv.Key.ToStringUtf8(), prefix)).Select(kv => kv.Value.ToStringUtf8())];
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Lists <c>servicePath/</c> with its revision and watches from the next one, as one watcher on the client's single
    /// etcd watch stream (all watches of a client share it). A broken stream (member restart, lost connection) is opened
    /// again and every watch resumed from its last revision seen, up to <see cref="EtcdDiscoveryOptions.WatchResumeAttempts"/>
    /// times in a row; a compacted revision makes the watch list again. Registering or deregistering through this
    /// client never ends a watch; ending the enumeration cancels this watch's watcher on etcd.
    /// </remarks>
    public IAsyncEnumerable<IReadOnlyList<string>> WatchAsync(string servicePath, CancellationToken cancellationToken = default)
    {
        _ = EtcdKeys.Prefix(servicePath);
        ThrowIfDisposed();
        return WatchCoreAsync(servicePath, cancellationToken);
    }

    private async IAsyncEnumerable<IReadOnlyList<string>> WatchCoreAsync(string servicePath, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var watch = new PrefixWatch(_watches, servicePath, _watchLogger);
        await using (watch.ConfigureAwait(false))
        {
            while (true)
            {
                yield return await watch.NextAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void OnWatchFailure()
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
            _keeper.CheckNow();
        }
    }
}
