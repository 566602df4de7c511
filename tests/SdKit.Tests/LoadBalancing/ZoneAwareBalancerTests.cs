using SdKit.Endpoints;
using SdKit.Instances;
using SdKit.Instances.Codecs;
using SdKit.LoadBalancing;
using SdKit.Tests.Support;
using static SdKit.Tests.LoadBalancing.WeightedBalancerTests;

namespace SdKit.Tests.LoadBalancing;

public sealed class ZoneAwareBalancerTests
{
    private static readonly ZoneAwareOptions s_z1 = new() { LocalZone = "z1" };

    [Fact]
    public async Task LocalZoneHoldsItsShare_EveryPickStaysLocal()
    {
        // Two zones, callers assumed even (1/2 each); z1 holds 3 of 6 instances: u = 1/2 >= l = 1/2.
        await using var endpointer = Endpointer(Zoned("a", "z1"), Zoned("b", "z1"), Zoned("c", "z1"), Zoned("d", "z2"), Zoned("e", "z2"), Zoned("f", "z2"));
        var balancer = Balancers.ZoneAware(endpointer, SdKitJsonCodec.Instance, s_z1);

        var picks = Enumerable.Range(0, 30_000).Select(_ => balancer.Pick()).ToList();

        Assert.All(picks, p => Assert.Contains(p, new[] { "a", "b", "c" }));
        Assert.Equal(3, picks.Distinct().Count());
        Assert.Equal(1.0, Split(balancer).LocalShare);
    }

    [Fact]
    public async Task LocalZoneShort_SpillsTheDocumentedFraction()
    {
        // z1 holds 1 of 6 units of capacity: u = 1/6, l = 1/2, so u / l = 1/3 of the picks stay local.
        await using var endpointer = Endpointer(Zoned("a", "z1"), Zoned("b", "z2"), Zoned("c", "z2"), Zoned("d", "z2"), Zoned("e", "z2"), Zoned("f", "z2"));
        var balancer = Balancers.ZoneAware(endpointer, SdKitJsonCodec.Instance, s_z1);
        const int picks = 900_000;

        var local = 0;
        for (var i = 0; i < picks; i++)
        {
            local += balancer.Pick() == "a" ? 1 : 0;
        }

        Assert.Equal(1.0 / 3, Split(balancer).LocalShare, 12);
        var sigma = Math.Sqrt(picks * (1.0 / 3) * (2.0 / 3));
        Assert.InRange(local, (picks / 3) - (5 * sigma), (picks / 3) + (5 * sigma));
    }

    [Fact]
    public async Task CapacityIsWeight_AndCallerShareIsTheOption()
    {
        // z1: one instance of weight 5 of a total 10 (u = 1/2); with 80% of the callers local, 5/8 stay local.
        await using var endpointer = Endpointer(
            Json("a", 5, zone: "z1"), Json("b", 1, zone: "z2"), Json("c", 1, zone: "z2"), Json("d", 1, zone: "z3"), Json("e", 1, zone: "z3"), Json("f", 1, zone: "z3"));
        var balancer = Balancers.ZoneAware(endpointer, SdKitJsonCodec.Instance, new ZoneAwareOptions { LocalZone = "z1", LocalCallerShare = 0.8 });

        Assert.Equal(0.625, Split(balancer).LocalShare, 12);

        var allLocal = Balancers.ZoneAware(endpointer, SdKitJsonCodec.Instance, new ZoneAwareOptions { LocalZone = "z1", LocalCallerShare = 0.5 });
        Assert.All(Enumerable.Range(0, 1_000).Select(_ => allLocal.Pick()), p => Assert.Equal("a", p));
    }

    [Fact]
    public async Task BelowMinClusterSize_ZonesAreIgnored()
    {
        await using var endpointer = Endpointer(Zoned("a", "z1"), Zoned("b", "z1"), Zoned("c", "z1"), Zoned("d", "z2"), Zoned("e", "z2"));
        var balancer = Balancers.ZoneAware(endpointer, SdKitJsonCodec.Instance, s_z1);

        var seen = Enumerable.Range(0, 10_000).Select(_ => balancer.Pick()).ToHashSet();

        Assert.Equal(["a", "b", "c", "d", "e"], seen.Order(StringComparer.Ordinal));
        Assert.False(Split(balancer).Zoned);
    }

    [Fact]
    public async Task BelowMinClusterSize_DisabledInstancesAreStillNeverPicked()
    {
        await using var endpointer = Endpointer(Zoned("a", "z1"), Json("b", 1, enabled: false, zone: "z1"), Zoned("c", "z2"));
        var balancer = Balancers.ZoneAware(endpointer, SdKitJsonCodec.Instance, s_z1);

        var seen = Enumerable.Range(0, 10_000).Select(_ => balancer.Pick()).ToHashSet();

        Assert.Equal(["a", "c"], seen.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task LocalZoneDisabledOrUndecodable_EverythingSpills()
    {
        // Undecodable strings have no zone: never local.
        await using var endpointer = Endpointer(Json("a", 1, enabled: false, zone: "z1"), "no-json-1", "no-json-2", Zoned("d", "z2"), Zoned("e", "z2"), Zoned("f", "z2"));
        var balancer = Balancers.ZoneAware(endpointer, SdKitJsonCodec.Instance, new ZoneAwareOptions { LocalZone = "z1", MinClusterSize = 5 });

        var seen = Enumerable.Range(0, 10_000).Select(_ => balancer.Pick()).ToHashSet();

        Assert.Equal(["d", "e", "f", "no-json-1", "no-json-2"], seen.Order(StringComparer.Ordinal));
        Assert.Equal(0, Split(balancer).LocalShare);
    }

    [Fact]
    public async Task SetChange_RecutsTheZones()
    {
        await using var endpointer = new Endpointer<string>(new ManualInstancer(), HostOf);
        endpointer.Apply(new InstanceEvent([Zoned("a", "z1"), Zoned("b", "z2")]));
        var balancer = Balancers.ZoneAware(endpointer, SdKitJsonCodec.Instance, new ZoneAwareOptions { LocalZone = "z1", MinClusterSize = 0 });
        Assert.All(Enumerable.Range(0, 1_000).Select(_ => balancer.Pick()), p => Assert.Equal("a", p));

        endpointer.Apply(new InstanceEvent([Zoned("a", "z1"), Zoned("b", "z2"), Zoned("c", "z2"), Zoned("d", "z2")]));

        Assert.Equal(0.5, Split(balancer).LocalShare, 12);
        Assert.Equal(["a", "b", "c", "d"], Enumerable.Range(0, 10_000).Select(_ => balancer.Pick()).ToHashSet().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task InnerLeastOutstanding_LeasesAreCountedWithinTheZone()
    {
        await using var endpointer = Endpointer(Zoned("a", "z1"), Zoned("b", "z1"), Zoned("c", "z2"));
        var balancer = Balancers.ZoneAware(endpointer, SdKitJsonCodec.Instance, new ZoneAwareOptions { LocalZone = "z1", MinClusterSize = 0 }, Balancers.LeastOutstanding);

        var first = balancer.Acquire();
        var second = balancer.Acquire();

        Assert.Equal(["a", "b"], new[] { first.Endpoint, second.Endpoint }.Order(StringComparer.Ordinal));
        first.Complete();
        second.Complete();
    }

    [Fact]
    public void Options_BadValues_ThrowNamingTheValue()
    {
        var endpointer = new FixedEndpointer<string>(["a"]);
        var codec = PlainInstanceCodec.Instance;

        var noZone = Assert.Throws<ArgumentException>(() => Balancers.ZoneAware(endpointer, codec, new ZoneAwareOptions { LocalZone = " " }));
        Assert.Contains("LocalZone", noZone.Message, StringComparison.Ordinal);
        Assert.Contains("' '", noZone.Message, StringComparison.Ordinal);
        foreach (var share in new[] { 0, -0.1, 1.5, double.NaN })
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => Balancers.ZoneAware(endpointer, codec, new ZoneAwareOptions { LocalZone = "z1", LocalCallerShare = share }));
            Assert.Contains(share.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        }

        var size = Assert.Throws<ArgumentOutOfRangeException>(() => Balancers.ZoneAware(endpointer, codec, new ZoneAwareOptions { LocalZone = "z1", MinClusterSize = -1 }));
        Assert.Contains("-1", size.Message, StringComparison.Ordinal);
        var inner = Assert.Throws<InvalidOperationException>(() => Balancers.ZoneAware(endpointer, codec, s_z1, _ => null!));
        Assert.Contains("local", inner.Message, StringComparison.Ordinal);
    }

    private static string Zoned(string host, string zone) => Json(host, 1, zone: zone);

    private static ZoneSplit<string> Split(IBalancer<string> balancer) => ((ZoneAwareBalancer<string>)balancer).CurrentSplit();
}
