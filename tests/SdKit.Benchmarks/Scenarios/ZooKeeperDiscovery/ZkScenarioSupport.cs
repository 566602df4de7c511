using System.Globalization;
using System.Text.Json;
using SdKit.Testing.ZooKeeper;
using SdKit.ZooKeeper.Client;
using SdKit.ZooKeeper.Discovery;

namespace SdKit.Benchmarks.Scenarios.ZooKeeperDiscovery;

/// <summary>What the ZooKeeper discovery scenarios share: the <c>--zk</c> option, client options, percentiles, the JSON line.</summary>
internal static class ZkScenarioSupport
{
    /// <summary>
    /// Resolves <c>--zk</c>: a connect string (<c>127.0.0.1:2181,...</c>), or <c>local</c> (<c>local:3</c>) to start a
    /// throwaway standalone server (ensemble) of Debian's ZooKeeper on free loopback ports; the caller disposes it.
    /// </summary>
    public static async Task<(string ConnectString, IAsyncDisposable? Owned)> ServersAsync(ScenarioArguments arguments)
    {
        var value = arguments.String("zk");
        if (value == "local")
        {
            var server = await ZooKeeperServer.StartStandaloneAsync().ConfigureAwait(false);
            return (server.ConnectString, server);
        }

        if (value.StartsWith("local:", StringComparison.Ordinal))
        {
            var size = int.TryParse(value["local:".Length..], CultureInfo.InvariantCulture, out var n) && n > 0 ? n
                : throw new ArgumentException($"The option --zk 'local:N' needs a positive server count, not '{value}'.");
            var ensemble = await ZooKeeperEnsemble.StartAsync(size).ConfigureAwait(false);
            return (ensemble.ConnectString, ensemble);
        }

        return value.Length > 0 ? (value, null) : throw new ArgumentException("The option --zk must be a connect string or 'local' / 'local:N'.");
    }

    public static ZooKeeperDiscoveryOptions Options(string connectString, TimeSpan sessionTimeout)
    {
        var options = new ZooKeeperDiscoveryOptions();
        options.Connection.ConnectString = connectString;
        options.Connection.SessionTimeout = sessionTimeout;
        return options;
    }

    public static Task<ZooKeeperClient> RawAsync(string connectString, CancellationToken cancellationToken)
        => ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectString = connectString }, cancellationToken: cancellationToken);

    /// <summary>Creates the parents of <paramref name="servicePath"/> and the path itself as persistent nodes.</summary>
    public static async Task CreatePathAsync(ZooKeeperClient client, string servicePath, CancellationToken cancellationToken)
    {
        var path = string.Empty;
        foreach (var segment in servicePath.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            path += "/" + segment;
            try
            {
                await client.CreateAsync(path, ReadOnlyMemory<byte>.Empty, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (NodeExistsException)
            {
                // Already there.
            }
        }
    }
}
