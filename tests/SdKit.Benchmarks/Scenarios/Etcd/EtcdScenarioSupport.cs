using System.Globalization;
using System.Text.Json;
using SdKit.Etcd;
using SdKit.Testing.Etcd;

namespace SdKit.Benchmarks.Scenarios.Etcd;

/// <summary>What the etcd scenarios share: the <c>--etcd</c> option (URLs, or <c>local</c> for a throwaway member), percentiles, the JSON line.</summary>
internal static class EtcdScenarioSupport
{
    /// <summary>
    /// Resolves <c>--etcd</c>: comma-separated client URLs, or <c>local</c> (<c>local:3</c>) to start a throwaway cluster
    /// of one (three) members of Debian's etcd on free loopback ports for the run (returned so the caller disposes it).
    /// </summary>
    public static async Task<(IReadOnlyList<string> Endpoints, EtcdCluster? Owned)> EndpointsAsync(ScenarioArguments arguments)
    {
        var value = arguments.String("etcd");
        if (value == "local" || value.StartsWith("local:", StringComparison.Ordinal))
        {
            var size = value == "local" ? 1 : int.TryParse(value["local:".Length..], CultureInfo.InvariantCulture, out var n) && n > 0 ? n
                : throw new ArgumentException($"The option --etcd 'local:N' needs a positive member count, not '{value}'.");
            var cluster = await EtcdCluster.StartAsync(size).ConfigureAwait(false);
            return (cluster.EndpointList, cluster);
        }

        var endpoints = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return endpoints.Length > 0 ? (endpoints, null) : throw new ArgumentException($"The option --etcd must list client URLs or say 'local' / 'local:N', not '{value}'.");
    }

    public static EtcdDiscoveryOptions Options(IReadOnlyList<string> endpoints, int ttlSeconds)
    {
        var options = new EtcdDiscoveryOptions { LeaseTtl = TimeSpan.FromSeconds(ttlSeconds) };
        foreach (var endpoint in endpoints)
        {
            options.Endpoints.Add(endpoint);
        }

        return options;
    }

    public static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
