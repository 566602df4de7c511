using Xunit;

namespace SdKit.Testing.ZooKeeper;

/// <summary>An xunit fixture holding one three-server ensemble for a whole test collection.</summary>
public sealed class ZooKeeperEnsembleFixture : IAsyncLifetime
{
    private ZooKeeperEnsemble? _ensemble;

    /// <summary>Gets the ensemble.</summary>
    public ZooKeeperEnsemble Ensemble => _ensemble ?? throw new InvalidOperationException("The fixture is not initialized.");

    /// <inheritdoc/>
    public async Task InitializeAsync() => _ensemble = await ZooKeeperEnsemble.StartAsync().ConfigureAwait(false);

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (_ensemble is not null)
        {
            await _ensemble.DisposeAsync().ConfigureAwait(false);
        }
    }
}
