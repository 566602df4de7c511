using System.Diagnostics.Metrics;

namespace SdKit.Etcd;

/// <summary>The etcd backend's metrics (meter <c>SdKit.Etcd</c>).</summary>
internal static class EtcdTelemetry
{
    public static readonly Meter Meter = new("SdKit.Etcd");

    public static readonly Counter<long> LeasesLost = Meter.CreateCounter<long>("sdkit.etcd.lease.lost", description: "Leases found gone (expired or revoked) and replaced.");

    public static readonly Counter<long> WatchResumes = Meter.CreateCounter<long>("sdkit.etcd.watch.resumed", description: "Watches resumed from their last revision after a failure.");

    public static readonly UpDownCounter<long> WatchStreams = Meter.CreateUpDownCounter<long>("sdkit.etcd.watch.streams", description: "Watch streams open: one per client while it watches anything, carrying all of its watches.");

    public static readonly Counter<long> WatchRelists = Meter.CreateCounter<long>("sdkit.etcd.watch.relisted", description: "Watches that listed again because their revision was compacted.");
}
