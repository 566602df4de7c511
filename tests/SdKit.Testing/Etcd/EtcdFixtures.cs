using Xunit;

namespace SdKit.Testing.Etcd;

/// <summary>An xunit fixture owning one <see cref="EtcdCluster"/> for a test class or collection.</summary>
public abstract class EtcdClusterFixture : IAsyncLifetime
{
    private EtcdCluster? _cluster;

    /// <summary>Gets the running cluster.</summary>
    public EtcdCluster Cluster => _cluster ?? throw new InvalidOperationException("The etcd fixture has not started.");

    /// <summary>Gets the client URLs, comma-separated.</summary>
    public string Endpoints => Cluster.Endpoints;

    /// <summary>Gets the number of members to start.</summary>
    protected abstract int Size { get; }

    /// <summary>Gets how to secure the cluster.</summary>
    protected virtual EtcdSecurity Security => EtcdSecurity.None;

    /// <inheritdoc/>
    public async Task InitializeAsync() => _cluster = await EtcdCluster.StartAsync(Size, Security).ConfigureAwait(false);

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>A single plain member (no TLS, no auth).</summary>
public sealed class EtcdSingleMemberFixture : EtcdClusterFixture
{
    /// <inheritdoc/>
    protected override int Size => 1;
}

/// <summary>A three-member plain cluster, for member kill and restart tests.</summary>
public sealed class EtcdThreeMemberFixture : EtcdClusterFixture
{
    /// <inheritdoc/>
    protected override int Size => 3;
}

/// <summary>A single member serving TLS with a client certificate required, and auth on with a user limited to <see cref="Prefix"/>.</summary>
public sealed class EtcdSecureFixture : EtcdClusterFixture
{
    /// <summary>The prefix the test user may read and write.</summary>
    public const string Prefix = "/secure/";

    /// <inheritdoc/>
    protected override int Size => 1;

    /// <inheritdoc/>
    protected override EtcdSecurity Security { get; } = new(Tls: true, AuthPrefix: Prefix);
}
