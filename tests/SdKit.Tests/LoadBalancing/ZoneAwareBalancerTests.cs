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
    public void Spill_GoesToTheZonesWithResidualCapacity_InProportion()
    {
        // Capacities 1/3/6 of 10 in z1/z2/z3, callers even (1/3 each). From z1: u = 0.1 < l = 1/3, so 0.3 stays local;
        // the others expect 1/3 of the callers each: z2 (0.3) has no residual, z3 (0.6) has 0.6 - 1/3, so all the
        // spilled 0.7 goes to z3. Capacity-weighted spill would have sent z2 0.7 * 3/9.
        var shares = Shares("z1", null, ("z1", 1), ("z2", 3), ("z3", 6));

        Assert.Equal(0.3, shares.LocalShare, 12);
        Assert.Equal(new string?[] { "z3" }, shares.SpillZones.AsEnumerable());
        Assert.Equal(0.7, shares.SpillShares[0], 12);
        AssertDraws(shares, 0.3, ("z3", 0.7));
    }

    [Fact]
    public void Spill_SplitsByResidualCapacity_WithTheCallerShareOption()
    {
        // Capacities 1/3/6 of 10; half the callers in z1: u = 0.1, l = 0.5, so 0.2 stays local. The other zones expect
        // (1 - 0.5) / 2 = 0.25 of the callers each: residuals z2 0.05, z3 0.35 of 0.4, so z2 gets 0.8 * 1/8 = 0.1 and
        // z3 0.8 * 7/8 = 0.7.
        var shares = Shares("z1", 0.5, ("z1", 1), ("z2", 3), ("z3", 6));

        Assert.Equal(0.2, shares.LocalShare, 12);
        Assert.Equal(new string?[] { "z2", "z3" }, shares.SpillZones.AsEnumerable());
        Assert.Equal(0.1, shares.SpillShares[0], 12);
        Assert.Equal(0.7, shares.SpillShares[1], 12);
        AssertDraws(shares, 0.2, ("z2", 0.1), ("z3", 0.7));
    }

    [Fact]
    public void EveryCallerZoneByTheRule_LoadsEachZoneByItsCapacity()
    {
        // The point of the residual rule: with callers even over z1..z3, the traffic each zone receives from all three
        // caller zones together is its capacity share (0.1, 0.3, 0.6), which capacity-weighted spill misses.
        (string Zone, int Weight)[] capacity = [("z1", 1), ("z2", 3), ("z3", 6)];
        var load = new Dictionary<string, double> { ["z1"] = 0, ["z2"] = 0, ["z3"] = 0 };
        foreach (var (caller, _) in capacity)
        {
            var shares = Shares(caller, null, capacity);
            load[caller] += shares.LocalShare / 3;
            for (var i = 0; i < shares.SpillZones.Length; i++)
            {
                load[shares.SpillZones[i]!] += shares.SpillShares[i] / 3;
            }
        }

        Assert.Equal(0.1, load["z1"], 12);
        Assert.Equal(0.3, load["z2"], 12);
        Assert.Equal(0.6, load["z3"], 12);
    }

    [Theory]
    [InlineData("weighted-random")]
    [InlineData("random")]
    public async Task Picks_FollowTheResidualSplit(string inner)
    {
        // z1 one instance, z2 three, z3 six (weight 1 each): from z1, 0.3 local, 0.7 to z3, none to z2.
        await using var endpointer = Endpointer([
            Zoned("a1", "z1"),
            .. Enumerable.Range(0, 3).Select(i => Zoned($"b{i}", "z2")),
            .. Enumerable.Range(0, 6).Select(i => Zoned($"c{i}", "z3"))]);
        // The uniform inner balancer is picked inline, the weighted one through its part pick: both by the same split.
        var balancer = Balancers.ZoneAware(endpointer, SdKitJsonCodec.Instance, s_z1, inner == "random" ? Balancers.Random : null);
        const int picks = 600_000;

        var byZone = new Dictionary<char, int> { ['a'] = 0, ['b'] = 0, ['c'] = 0 };
        var seen = new HashSet<string>();
        for (var i = 0; i < picks; i++)
        {
            var picked = balancer.Pick();
            byZone[picked[0]]++;
            seen.Add(picked);
        }

        Assert.Equal(0.3, Split(balancer).LocalShare, 12);
        var sigma = Math.Sqrt(picks * 0.3 * 0.7);
        Assert.InRange(byZone['a'], (picks * 0.3) - (5 * sigma), (picks * 0.3) + (5 * sigma));
        Assert.Equal(0, byZone['b']);
        Assert.Equal(picks - byZone['a'], byZone['c']);
        Assert.Equal(7, seen.Count);
    }

    [Fact]
    public async Task Picks_WithTwoSpillZones_SplitByResidual()
    {
        // As Spill_SplitsByResidualCapacity_WithTheCallerShareOption, over instances: 0.2 local, z2 0.1, z3 0.7.
        await using var endpointer = Endpointer([
            Zoned("a1", "z1"),
            .. Enumerable.Range(0, 3).Select(i => Zoned($"b{i}", "z2")),
            .. Enumerable.Range(0, 6).Select(i => Zoned($"c{i}", "z3"))]);
        var balancer = Balancers.ZoneAware(endpointer, SdKitJsonCodec.Instance, new ZoneAwareOptions { LocalZone = "z1", LocalCallerShare = 0.5 }, Balancers.RoundRobin);
        const int picks = 600_000;

        var byZone = new Dictionary<char, int> { ['a'] = 0, ['b'] = 0, ['c'] = 0 };
        for (var i = 0; i < picks; i++)
        {
            byZone[balancer.Pick()[0]]++;
        }

        foreach (var (zone, share) in new[] { ('a', 0.2), ('b', 0.1), ('c', 0.7) })
        {
            var sigma = Math.Sqrt(picks * share * (1 - share));
            Assert.InRange(byZone[zone], (picks * share) - (5 * sigma), (picks * share) + (5 * sigma));
        }
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

    private static ZoneShares Shares(string local, double? callerShare, params (string Zone, int Weight)[] zones)
        => ZoneShares.Compute([.. zones.Select(z => (string?)z.Zone)], [.. zones.Select(z => z.Weight)], new ZoneAwareOptions { LocalZone = local, LocalCallerShare = callerShare, MinClusterSize = 0 });

    /// <summary>Sweeps 2^20 evenly spaced 32-bit draws through the rule and checks each part's share of them to 1e-5.</summary>
    private static void AssertDraws(ZoneShares shares, double local, params (string Zone, double Share)[] spill)
    {
        const int draws = 1 << 20;
        var counts = new int[shares.SpillZones.Length + 1];
        for (ulong d = 0; d < draws; d++)
        {
            counts[shares.Choose(d << 12)]++;
        }

        Assert.Equal(local, (double)counts[0] / draws, 5);
        for (var i = 0; i < spill.Length; i++)
        {
            Assert.Equal(spill[i].Zone, shares.SpillZones[i]);
            Assert.Equal(spill[i].Share, (double)counts[i + 1] / draws, 5);
        }
    }

    private static ZoneSplit<string> Split(IBalancer<string> balancer) => ((ZoneAwareBalancer<string>)balancer).CurrentSplit();
}
