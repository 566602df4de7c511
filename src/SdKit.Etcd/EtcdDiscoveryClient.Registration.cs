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
    /// string as its value, attached to the current lease (<see cref="RegisteredEntry.Version"/> is the revision of the
    /// put, the key's mod revision). When the lease turns out to be gone, the client starts
    /// replacing it and this call fails with a transient <see cref="EtcdException"/>; the registrar registers again
    /// after <see cref="ConnectionState.Reconnected"/>.
    /// </remarks>
    public async ValueTask<RegisteredEntry> RegisterAsync(ServiceEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ThrowIfDisposed();
        var key = EtcdKeys.Key(entry.ServicePath, entry.Id ?? Guid.NewGuid().ToString("N"));
        var lease = await _keeper.WaitForLeaseAsync(cancellationToken).ConfigureAwait(false);
        PutResponse response;
        try
        {
            var put = new PutRequest { Key = ByteString.CopyFromUtf8(key), Value = ByteString.CopyFromUtf8(entry.Instance), Lease = lease };
            response = await _connection.CallAsync("put", key, (deadline, ct) => _connection.Client.PutAsync(put, deadline: deadline, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
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
        return new RegisteredEntry(entry, key, lease, response.Header.Revision);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Puts the new value under the same key and the same lease in one transaction that first checks the key is still
    /// attached to the registration's lease (<see cref="RegisteredEntry.Generation"/>): watchers see one put. A key that
    /// is gone, or attached to another lease, is left alone and the update fails.
    /// </remarks>
    /// <exception cref="EtcdException">The key is gone or no longer on the registration's lease (not transient), or etcd could not be reached.</exception>
    public async ValueTask<RegisteredEntry> UpdateAsync(RegisteredEntry registration, string instance, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentException.ThrowIfNullOrEmpty(instance);
        ThrowIfDisposed();
        if (!registration.Key.StartsWith(registration.Entry.ServicePath + "/", StringComparison.Ordinal))
        {
            throw new ArgumentException($"The registration key '{registration.Key}' is not below its service path '{registration.Entry.ServicePath}'; it was not made by an etcd discovery client.", nameof(registration));
        }

        var key = ByteString.CopyFromUtf8(registration.Key);
        var transaction = new TxnRequest();
        transaction.Compare.Add(new Compare { Key = key, Target = Compare.Types.CompareTarget.Lease, Result = Compare.Types.CompareResult.Equal, Lease = registration.Generation });
        transaction.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = key, Value = ByteString.CopyFromUtf8(instance), Lease = registration.Generation } });
        TxnResponse response;
        try
        {
            response = await _connection.CallAsync("update", registration.Key,
                (deadline, ct) => _connection.Client.TransactionAsync(transaction, deadline: deadline, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        }
        catch (EtcdException ex) when (EtcdErrors.IsLeaseNotFound(ex))
        {
            _keeper.CheckNow();
            throw new EtcdException($"Cannot update '{registration.Key}': lease {LeaseKeeper.LeaseName(registration.Generation)} is gone, and the entry with it. Register again.", ex, isTransient: false);
        }
        catch (EtcdException ex) when (ex.IsTransient)
        {
            OnTransientFailure();
            throw;
        }

        if (!response.Succeeded)
        {
            throw new EtcdException($"Cannot update '{registration.Key}': the key is gone or no longer on lease {LeaseKeeper.LeaseName(registration.Generation)} (lost with its lease, or deregistered). Nothing was written; register again.", null, isTransient: false);
        }

        Log.Updated(_logger, registration.Key, instance, LeaseKeeper.LeaseName(registration.Generation));
        return new RegisteredEntry(registration.Entry.WithInstance(instance), registration.Key, registration.Generation, response.Header.Revision);
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
