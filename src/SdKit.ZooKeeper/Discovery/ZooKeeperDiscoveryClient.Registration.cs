using SdKit.Client;

namespace SdKit.ZooKeeper.Discovery;

/// <content>Registration: parents, the instance node, recovery of a create whose reply was lost, deregistration.</content>
public sealed partial class ZooKeeperDiscoveryClient
{
    /// <inheritdoc/>
    /// <remarks>
    /// <see cref="RegisteredEntry.Key"/> is the node path and <see cref="RegisteredEntry.Generation"/> the id of the
    /// session that owns the node. In the <see cref="ZooKeeperNodeLayout.Named"/> layout the instance string must be a
    /// valid node name, and a node of this very session is adopted rather than created twice.
    /// </remarks>
    /// <exception cref="NodeExistsException">Named layout: another session still holds the node of this instance.</exception>
    /// <exception cref="NoAuthException">An ACL on the path does not allow creating the node.</exception>
    private async ValueTask<RegisteredEntry> RegisterCoreAsync(ServiceEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ThrowIfDisposed();
        var target = RegistrationTarget.For(entry, _options.Layout);
        var data = _options.Layout == ZooKeeperNodeLayout.Named ? [] : System.Text.Encoding.UTF8.GetBytes(entry.Instance);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (attempt > 1 && await FindOwnNodeAsync(target, cancellationToken).ConfigureAwait(false) is { } adopted)
                {
                    Log.CreateRecovered(_logger, adopted.Path, attempt);
                    return Registered(entry, adopted);
                }

                var created = await CreateWithParentsAsync(entry.ServicePath, target, data, cancellationToken).ConfigureAwait(false);
                return Registered(entry, created);
            }
            catch (ConnectionLossException ex) when (attempt < _options.Attempts)
            {
                // The create may or may not have been applied: the next attempt looks for the node before creating.
                Log.CreateRetry(_logger, target.CreatePath, attempt, ex);
            }
            catch (NodeExistsException) when (target.Mode == CreateMode.Ephemeral)
            {
                // Named or Curator layout: a node of this session (an earlier attempt, or the same instance registered twice) is
                // adopted; one of another session is not ours to take.
                if (await FindOwnNodeAsync(target, cancellationToken).ConfigureAwait(false) is not { } own)
                {
                    throw;
                }

                return Registered(entry, own);
            }
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The node is deleted only while it still belongs to the session named by <see cref="RegisteredEntry.Generation"/>:
    /// a node of the same name written later by another session (the named layout) is left alone.
    /// </remarks>
    private async ValueTask DeregisterCoreAsync(RegisteredEntry registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        ThrowIfDisposed();
        var path = registration.Key;
        if (!path.StartsWith(registration.Entry.ServicePath + "/", StringComparison.Ordinal))
        {
            throw new ArgumentException($"The registration key '{path}' is not below its service path '{registration.Entry.ServicePath}'; it was not made by a ZooKeeper discovery client.", nameof(registration));
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (await _zk.ExistsAsync(path, cancellationToken).ConfigureAwait(false) is not { } stat || stat.EphemeralOwner != registration.Generation)
                {
                    return;
                }

                await _zk.DeleteAsync(path, stat.Version, cancellationToken).ConfigureAwait(false);
                Log.Deregistered(_logger, path);
                return;
            }
            catch (NoNodeException)
            {
                return;
            }
            catch (ConnectionLossException ex) when (attempt < _options.Attempts)
            {
                Log.DeleteRetry(_logger, path, attempt, ex);
            }
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Sets the data of the registration's own node, conditional on the data version the handle carries
    /// (<see cref="RegisteredEntry.Version"/>), so a watcher reads the new string once. The node must still belong to
    /// this client's current session. After a connection loss the node is read first: an update that was applied is
    /// adopted instead of failing on its own version change.
    /// </remarks>
    /// <exception cref="NotSupportedException">The named layout keeps the instance in the node name.</exception>
    /// <exception cref="ZooKeeperDiscoveryException">The node is gone or of another session (<see cref="NoNodeException"/> inside), or was changed since the handle was made (<see cref="BadVersionException"/> inside).</exception>
    private async ValueTask<RegisteredEntry> UpdateCoreAsync(RegisteredEntry registration, string instance, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentException.ThrowIfNullOrEmpty(instance);
        ThrowIfDisposed();
        var path = registration.Key;
        if (_options.Layout == ZooKeeperNodeLayout.Named)
        {
            throw new NotSupportedException($"The named layout keeps the instance in the node name ('{path}'), so it cannot be updated in place; deregister and register the new instance, or use the Protected or Curator layout.");
        }

        if (!path.StartsWith(registration.Entry.ServicePath + "/", StringComparison.Ordinal))
        {
            throw new ArgumentException($"The registration key '{path}' is not below its service path '{registration.Entry.ServicePath}'; it was not made by a ZooKeeper discovery client.", nameof(registration));
        }

        if (registration.Generation != _zk.SessionId)
        {
            throw new ZooKeeperDiscoveryException($"Cannot update '{path}': it was registered in session 0x{registration.Generation:x}, which is not this client's session (0x{_zk.SessionId:x}) any more, so the node is gone with it. Register again.", ZooKeeperException.Create(ZooKeeperErrorCode.NoNode, path));
        }

        var data = System.Text.Encoding.UTF8.GetBytes(instance);
        var version = checked((int)registration.Version);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (attempt > 1)
                {
                    // The lost reply may belong to an update that was applied: adopt it rather than fail on our own change.
                    var current = await _zk.GetDataAsync(path, cancellationToken).ConfigureAwait(false);
                    if (current.Stat.EphemeralOwner == registration.Generation && current.Stat.Version == version + 1 && current.Data.Span.SequenceEqual(data))
                    {
                        return Updated(registration, instance, current.Stat);
                    }
                }

                var stat = await _zk.SetDataAsync(path, data, version, cancellationToken).ConfigureAwait(false);
                return Updated(registration, instance, stat);
            }
            catch (ConnectionLossException ex) when (attempt < _options.Attempts)
            {
                Log.UpdateRetry(_logger, path, attempt, ex);
            }
            catch (BadVersionException ex)
            {
                throw new ZooKeeperDiscoveryException($"Cannot update '{path}': its data is no longer at version {version}; another writer changed it since this handle was made. Nothing was written.", ex);
            }
            catch (NoNodeException ex)
            {
                throw new ZooKeeperDiscoveryException($"Cannot update '{path}': the node is gone (deregistered, or lost with its session). Register again.", ex);
            }
        }
    }

    private RegisteredEntry Updated(RegisteredEntry registration, string instance, NodeStat stat)
    {
        Log.Updated(_logger, registration.Key, instance, stat.Version);
        return new RegisteredEntry(registration.Entry.WithInstance(instance), registration.Key, registration.Generation, stat.Version);
    }

    private RegisteredEntry Registered(ServiceEntry entry, CreateResult node)
    {
        Log.Registered(_logger, node.Path, entry.Instance, node.Stat.EphemeralOwner);
        return new RegisteredEntry(entry, node.Path, node.Stat.EphemeralOwner, node.Stat.Version);
    }

    private async Task<CreateResult> CreateWithParentsAsync(string servicePath, RegistrationTarget target, byte[] data, CancellationToken cancellationToken)
    {
        try
        {
            return await _zk.CreateAsync(target.CreatePath, data, target.Mode, _options.NodeAcl, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (NoNodeException)
        {
            // The usual case is an existing service node, so parents are created only when the first try says so.
            await CreateParentsAsync(servicePath, cancellationToken).ConfigureAwait(false);
            return await _zk.CreateAsync(target.CreatePath, data, target.Mode, _options.NodeAcl, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task CreateParentsAsync(string servicePath, CancellationToken cancellationToken)
    {
        var segments = servicePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var path = string.Empty;
        for (var level = 0; level < segments.Length; level++)
        {
            path += "/" + segments[level];
            var data = level < _options.ParentData.Count ? _options.ParentData[level] : [];
            try
            {
                await _zk.CreateAsync(path, data, CreateMode.Persistent, _options.ParentAcl, cancellationToken: cancellationToken).ConfigureAwait(false);
                Log.ParentCreated(_logger, path);
            }
            catch (NodeExistsException)
            {
                // Another registrar made it first, or it was there already: both are fine.
            }
            catch (NoAuthException)
            {
                // The level above may forbid CREATE while the node this level needs exists already.
                if (await _zk.ExistsAsync(path, cancellationToken).ConfigureAwait(false) is null)
                {
                    throw;
                }
            }
        }
    }

    /// <summary>Finds the node an earlier attempt of this registration created in the current session, if any.</summary>
    private async Task<CreateResult?> FindOwnNodeAsync(RegistrationTarget target, CancellationToken cancellationToken)
    {
        string path;
        if (target.Mode == CreateMode.EphemeralSequential)
        {
            NodeChildren children;
            try
            {
                children = await _zk.GetChildrenAsync(target.Parent, cancellationToken).ConfigureAwait(false);
            }
            catch (NoNodeException)
            {
                return null;
            }

            if (ProtectedNodeName.Find(children.Children, target.Name) is not { } child)
            {
                return null;
            }

            path = target.Parent + "/" + child;
        }
        else
        {
            path = target.CreatePath;
        }

        return await _zk.ExistsAsync(path, cancellationToken).ConfigureAwait(false) is { } stat && stat.EphemeralOwner == _zk.SessionId
            ? new CreateResult(path, stat)
            : null;
    }
}
