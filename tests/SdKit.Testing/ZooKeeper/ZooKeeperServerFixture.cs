using Xunit;

namespace SdKit.Testing.ZooKeeper;

/// <summary>An xunit fixture holding one standalone ZooKeeper server for a whole test collection.</summary>
public sealed class ZooKeeperServerFixture : IAsyncLifetime
{
    private ZooKeeperServer? _server;

    /// <summary>Gets the server.</summary>
    public ZooKeeperServer Server => _server ?? throw new InvalidOperationException("The fixture is not initialized.");

    /// <summary>Gets the server's connect string.</summary>
    public string ConnectString => Server.ConnectString;

    /// <inheritdoc/>
    public async Task InitializeAsync() => _server = await ZooKeeperServer.StartStandaloneAsync().ConfigureAwait(false);

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }
}
