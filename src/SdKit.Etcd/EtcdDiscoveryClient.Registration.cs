using Etcdserverpb;
using Google.Protobuf;
using SdKit.Client;

namespace SdKit.Etcd;

/// <summary>Registering and deregistering entries.</summary>
public sealed partial class EtcdDiscoveryClient
{
    /// <inheritdoc/>
    /// <remarks>
    /// Writes the key <c>ServicePath/Id</c> (a new GUID when <see cref="ServiceEntry.Id"/> is not set) with the instance
    /// string as its value, attached to the current lease. When the lease turns out to be gone, the client starts
    /// replacing it and this call fails with a transient <see cref="EtcdException"/>; the registrar registers again
    /// after <see cref="ConnectionState.Reconnected"/>.
    /// </remarks>
    public async ValueTask<RegisteredEntry> RegisterAsync(ServiceEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ThrowIfDisposed();
        var key = EtcdKeys.Key(entry.ServicePath, entry.Id ?? Guid.NewGuid().ToString("N"));
        var lease = await _keeper.WaitForLeaseAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var put = new PutRequest { Key = ByteString.CopyFromUtf8(key), Value = ByteString.CopyFromUtf8(entry.Instance), Lease = lease };
            await _connection.CallAsync("put", key, (deadline, ct) => _connection.Client.PutAsync(put, deadline: deadline, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        }
        catch (EtcdException ex) when (EtcdErrors.IsLeaseNotFound(ex))
        {
            _keeper.CheckNow();
            throw new EtcdException($"Could not register '{key}': lease {LeaseKeeper.LeaseName(lease)} is gone; the client is granting a new one.", ex, isTransient: true);
        }
        catch (EtcdException ex) when (ex.IsTransient)
        {
            OnTransientFailure();
            throw;
        }

        Log.Registered(_logger, key, entry.Instance, LeaseKeeper.LeaseName(lease));
        return new RegisteredEntry(entry, key, lease);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Deletes the key only while it still belongs to the registration's lease (one transaction), so a stale handle
    /// never removes an entry written again later under a new lease. A key that is gone counts as success.
    /// </remarks>
    public async ValueTask DeregisterAsync(RegisteredEntry registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        ThrowIfDisposed();
        var key = ByteString.CopyFromUtf8(registration.Key);
        var transaction = new TxnRequest();
        transaction.Compare.Add(new Compare { Key = key, Target = Compare.Types.CompareTarget.Lease, Result = Compare.Types.CompareResult.Equal, Lease = registration.Generation });
        transaction.Success.Add(new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = key } });
        TxnResponse response;
        try
        {
            response = await _connection.CallAsync("delete", registration.Key,
                (deadline, ct) => _connection.Client.TransactionAsync(transaction, deadline: deadline, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        }
        catch (EtcdException ex) when (ex.IsTransient)
        {
            OnTransientFailure();
            throw;
        }

        Log.Deregistered(_logger, registration.Key, response.Succeeded);
    }
}
