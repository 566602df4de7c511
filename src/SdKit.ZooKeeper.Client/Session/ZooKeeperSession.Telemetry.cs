using System.Diagnostics.Metrics;

namespace SdKit.ZooKeeper.Client.Session;

/// <summary>The client's metrics, on the <c>SdKit.ZooKeeper</c> meter.</summary>
internal sealed partial class ZooKeeperSession
{
    /// <summary>The name of the meter every client reports to.</summary>
    public const string MeterName = "SdKit.ZooKeeper";

    private static readonly Meter s_meter = new(MeterName);
    private static readonly Counter<long> s_requests = s_meter.CreateCounter<long>("sdkit.zookeeper.client.requests", "{request}", "Requests submitted.");
    private static readonly Counter<long> s_connections = s_meter.CreateCounter<long>("sdkit.zookeeper.client.connections", "{connection}", "Connections that carried the session (first connect and reconnects).");
    private static readonly Counter<long> s_disconnections = s_meter.CreateCounter<long>("sdkit.zookeeper.client.disconnections", "{connection}", "Connections lost while the session was live.");
    private static readonly Counter<long> s_expirations = s_meter.CreateCounter<long>("sdkit.zookeeper.client.session_expirations", "{session}", "Sessions that expired.");
    private static readonly Counter<long> s_notifications = s_meter.CreateCounter<long>("sdkit.zookeeper.client.watch_notifications", "{notification}", "Watch notifications received from servers.");
}
