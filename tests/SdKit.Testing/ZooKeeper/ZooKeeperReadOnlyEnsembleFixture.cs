using Xunit;

namespace SdKit.Testing.ZooKeeper;

/// <summary>
/// An xunit fixture holding one three-server ensemble started with read-only mode and local sessions enabled (without
/// them a 3.8 read-only member serves no client), for tests that take the quorum away. Its own ensemble: killing
/// members must not disturb tests sharing <see cref="ZooKeeperEnsembleFixture"/>.
/// </summary>
public sealed class ZooKeeperReadOnlyEnsembleFixture : IAsyncLifetime
{
    private ZooKeeperEnsemble? _ensemble;

    /// <summary>Gets the ensemble.</summary>
    public ZooKeeperEnsemble Ensemble => _ensemble ?? throw new InvalidOperationException("The fixture is not initialized.");

    /// <inheritdoc/>
    public async Task InitializeAsync() => _ensemble = await ZooKeeperEnsemble.StartAsync(readOnlyMode: true, localSessions: true).ConfigureAwait(false);

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (_ensemble is not null)
        {
            await _ensemble.DisposeAsync().ConfigureAwait(false);
        }
    }
}
