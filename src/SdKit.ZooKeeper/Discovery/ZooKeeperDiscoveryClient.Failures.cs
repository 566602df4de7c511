using System.Runtime.CompilerServices;
using SdKit.Client;

namespace SdKit.ZooKeeper.Discovery;

/// <content>
/// The contract's entry points: each runs its ZooKeeper work and reports a <see cref="ZooKeeperException"/> as a
/// <see cref="ZooKeeperDiscoveryException"/> (the cause kept as the inner exception), so the core's
/// <see cref="Instances.Instancer"/> and <see cref="Registration.Registrar"/> see the <see cref="DiscoveryException"/>
/// the contract promises, with its transience.
/// </content>
public sealed partial class ZooKeeperDiscoveryClient
{
    /// <inheritdoc cref="ConnectCoreAsync"/>
    /// <exception cref="ZooKeeperDiscoveryException">No server answered within the connect timeout (<see cref="ConnectionLossException"/> inside), or the server refused the credentials (<see cref="AuthFailedException"/> inside).</exception>
    public static async Task<ZooKeeperDiscoveryClient> ConnectAsync(ZooKeeperDiscoveryOptions options, Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await ConnectCoreAsync(options, loggerFactory, cancellationToken).ConfigureAwait(false);
        }
        catch (ZooKeeperException ex)
        {
            throw new ZooKeeperDiscoveryException(ex);
        }
        catch (OperationCanceledException ex) when (ex.InnerException is ZooKeeperException reason)
        {
            // A cancelled connect carries the last failure as its reason: mapped too, so callers read a DiscoveryException.
            throw new OperationCanceledException(ex.Message, new ZooKeeperDiscoveryException(reason), ex.CancellationToken);
        }
    }

    /// <inheritdoc/>
    /// <exception cref="ZooKeeperDiscoveryException">ZooKeeper could not be read.</exception>
    public async ValueTask<IReadOnlyList<string>> ListAsync(string servicePath, CancellationToken cancellationToken = default)
    {
        try
        {
            return await ListCoreAsync(servicePath, cancellationToken).ConfigureAwait(false);
        }
        catch (ZooKeeperException ex)
        {
            throw new ZooKeeperDiscoveryException(ex);
        }
    }

    /// <inheritdoc/>
    /// <remarks><inheritdoc cref="WatchCoreAsync" path="/remarks"/></remarks>
    /// <exception cref="ZooKeeperDiscoveryException">The watch failed (session expiry, or a lost connection with children watches).</exception>
    public async IAsyncEnumerable<IReadOnlyList<string>> WatchAsync(string servicePath, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var snapshots = WatchCoreAsync(servicePath, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (snapshots.ConfigureAwait(false))
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await snapshots.MoveNextAsync().ConfigureAwait(false);
                }
                catch (ZooKeeperException ex)
                {
                    throw new ZooKeeperDiscoveryException(ex);
                }

                if (!more)
                {
                    yield break;
                }

                yield return snapshots.Current;
            }
        }
    }

    /// <inheritdoc/>
    /// <remarks><inheritdoc cref="RegisterCoreAsync" path="/remarks"/></remarks>
    /// <exception cref="ZooKeeperDiscoveryException">Named layout: another session still holds the node of this instance (<see cref="NodeExistsException"/> inside); an ACL on the path does not allow creating the node (<see cref="NoAuthException"/> inside); or ZooKeeper could not be reached.</exception>
    public async ValueTask<RegisteredEntry> RegisterAsync(ServiceEntry entry, CancellationToken cancellationToken = default)
    {
        try
        {
            return await RegisterCoreAsync(entry, cancellationToken).ConfigureAwait(false);
        }
        catch (ZooKeeperException ex)
        {
            throw new ZooKeeperDiscoveryException(ex);
        }
    }

    /// <inheritdoc/>
    /// <remarks><inheritdoc cref="UpdateCoreAsync" path="/remarks"/></remarks>
    /// <exception cref="ZooKeeperDiscoveryException">The node is gone or of another session (<see cref="NoNodeException"/> inside), was changed since the handle was made (<see cref="BadVersionException"/> inside), or ZooKeeper could not be reached.</exception>
    public async ValueTask<RegisteredEntry> UpdateAsync(RegisteredEntry registration, string instance, CancellationToken cancellationToken = default)
    {
        try
        {
            return await UpdateCoreAsync(registration, instance, cancellationToken).ConfigureAwait(false);
        }
        catch (ZooKeeperException ex)
        {
            throw new ZooKeeperDiscoveryException(ex);
        }
    }

    /// <inheritdoc/>
    /// <remarks><inheritdoc cref="DeregisterCoreAsync" path="/remarks"/></remarks>
    /// <exception cref="ZooKeeperDiscoveryException">ZooKeeper could not be reached or refused the delete.</exception>
    public async ValueTask DeregisterAsync(RegisteredEntry registration, CancellationToken cancellationToken = default)
    {
        try
        {
            await DeregisterCoreAsync(registration, cancellationToken).ConfigureAwait(false);
        }
        catch (ZooKeeperException ex)
        {
            throw new ZooKeeperDiscoveryException(ex);
        }
    }
}
