using SdKit.Testing.ZooKeeper;
using static SdKit.ZooKeeper.Client.Tests.TestClients;

namespace SdKit.ZooKeeper.Tests.Discovery.Support;

/// <summary>
/// A test on the shared standalone server that builds layouts with a raw session (as other registrars would) and
/// consumes watches until the test ends.
/// </summary>
public abstract class RawSessionTest(ZooKeeperServerFixture fixture) : IAsyncLifetime
{
    /// <summary>Gets the shared server.</summary>
    protected ZooKeeperServerFixture Fixture => fixture;

    /// <summary>Gets a plain session on the server.</summary>
    protected ZooKeeperClient Raw { get; private set; } = null!;

    /// <summary>Gets the token that ends background watches when the test is over.</summary>
    protected CancellationToken TestEnd => TestEndSource.Token;

    private CancellationTokenSource TestEndSource { get; } = new();

    /// <inheritdoc/>
    public async Task InitializeAsync() => Raw = await ConnectAsync(fixture.ConnectString);

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        await TestEndSource.CancelAsync();
        await Raw.DisposeAsync();
        TestEndSource.Dispose();
    }

    /// <summary>Creates a fresh service path (and its parent) as persistent nodes with no data.</summary>
    protected async Task<string> CreateServicePathAsync()
    {
        var path = DiscoveryClients.NewServicePath();
        await Raw.CreateAsync(path[..path.LastIndexOf('/')], ReadOnlyMemory<byte>.Empty);
        await Raw.CreateAsync(path, ReadOnlyMemory<byte>.Empty);
        return path;
    }
}
