using SdKit.Testing.Conformance;
using SdKit.ZooKeeper.Discovery;

namespace SdKit.ZooKeeper.Tests.Discovery.Support;

/// <summary>Creates discovery clients for tests, and helpers to follow what a watch yields.</summary>
internal static class DiscoveryClients
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    public static Task<ZooKeeperDiscoveryClient> ConnectAsync(string connectString, Action<ZooKeeperDiscoveryOptions>? configure = null, TimeSpan? sessionTimeout = null)
    {
        var options = new ZooKeeperDiscoveryOptions();
        options.Connection.ConnectString = connectString;
        options.Connection.SessionTimeout = sessionTimeout ?? TimeSpan.FromSeconds(4);
        options.Connection.ConnectTimeout = TimeSpan.FromSeconds(20);
        configure?.Invoke(options);
        return ZooKeeperDiscoveryClient.ConnectAsync(options);
    }

    /// <summary>A fresh service path below a fresh root, so tests sharing a server never collide.</summary>
    public static string NewServicePath(string service = "svc") => $"/d-{Guid.NewGuid():N}/{service}";

    /// <summary>Consumes a watch in the background into a recorder of sorted snapshots.</summary>
    public static ObservationRecorder<string[]> Watch(ZooKeeperDiscoveryClient client, string servicePath, CancellationToken cancellationToken)
    {
        var recorder = new ObservationRecorder<string[]>();
        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var snapshot in client.WatchAsync(servicePath, cancellationToken))
                {
                    recorder.OnNext([.. snapshot.Order(StringComparer.Ordinal)]);
                }
            }
            catch (Exception ex)
            {
                recorder.OnError(ex);
            }
        }, CancellationToken.None);
        return recorder;
    }

    public static Task<string[]> WaitForAsync(this ObservationRecorder<string[]> recorder, params string[] expected)
    {
        var sorted = expected.Order(StringComparer.Ordinal).ToArray();
        return recorder.WaitForAsync(s => s.SequenceEqual(sorted, StringComparer.Ordinal), Wait);
    }
}
