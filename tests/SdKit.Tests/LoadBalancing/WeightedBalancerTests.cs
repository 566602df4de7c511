using SdKit.Endpoints;
using SdKit.Instances;
using SdKit.Instances.Codecs;
using SdKit.LoadBalancing;
using SdKit.Tests.Support;

namespace SdKit.Tests.LoadBalancing;

public sealed class WeightedBalancerTests
{
    public static TheoryData<string> Kinds => new() { "weighted-random", "smooth-weighted-round-robin", "weighted-least-outstanding", "zone-aware" };

    [Fact]
    public async Task SmoothWeightedRoundRobin_Weights511_GiveNginxSequence()
    {
        await using var endpointer = Endpointer(Json("a", 5), Json("b", 1), Json("c", 1));
        var balancer = Balancers.SmoothWeightedRoundRobin(endpointer, SdKitJsonCodec.Instance);

        var picks = string.Concat(Enumerable.Range(0, 14).Select(_ => balancer.Pick()));

        Assert.Equal("aabacaaaabacaa", picks);
    }

    [Fact]
    public async Task SmoothWeightedRoundRobin_CommonDivisor_IsThePlainRotation()
    {
        await using var endpointer = Endpointer(Json("a", 4), Json("b", 4), Json("c", 4));
        var balancer = Balancers.SmoothWeightedRoundRobin(endpointer, SdKitJsonCodec.Instance);

        Assert.Equal("abcabc", string.Concat(Enumerable.Range(0, 6).Select(_ => balancer.Pick())));
    }

    [Fact]
    public void SmoothWeightedRotation_RandomWeights_MatchesNginxStepByStep()
    {
        var random = new Random(42);
        for (var round = 0; round < 20; round++)
        {
            var weights = Enumerable.Range(0, random.Next(1, 30)).Select(_ => random.Next(0, 12)).ToArray();
            if (weights.All(w => w == 0))
            {
                weights[0] = 1;
            }

            var rotation = new SmoothWeightedRotation(weights);
            var nginx = new NginxSmoothWeighted(weights);
            var total = weights.Sum();
            for (var step = 0; step < 2 * total; step++)
            {
                Assert.Equal(nginx.Next(), rotation.Next());
            }
        }
    }

    [Fact]
    public async Task SmoothWeightedRoundRobin_PeriodTooLongToKeep_StepsLiveAndMatchesNginx()
    {
        int[] weights = [100_000, 50_001, 1];
        Assert.True(weights.Sum() > SmoothWeightedSchedule.MaxPeriod);
        await using var endpointer = Endpointer(Json("a", weights[0]), Json("b", weights[1]), Json("c", weights[2]));
        var balancer = Balancers.SmoothWeightedRoundRobin(endpointer, SdKitJsonCodec.Instance);
        var nginx = new NginxSmoothWeighted(weights);

        for (var i = 0; i < 5_000; i++)
        {
            Assert.Equal(((char)('a' + nginx.Next())).ToString(), balancer.Pick());
        }

        Assert.Equal(0, Allocations.Measure(() => balancer.Pick()));
    }

    [Fact]
    public void AliasTable_AnyWeights_DrawsEachPositionWithExactlyItsShare()
    {
        var random = new Random(7);
        for (var round = 0; round < 50; round++)
        {
            var count = random.Next(1, 40);
            var instances = Enumerable.Range(0, count).Select(i => Json($"h{i:D2}", random.Next(1, 1_000), enabled: random.Next(4) != 0)).Order(StringComparer.Ordinal).ToArray();
            var traits = InstanceTraits.Decode(instances, SdKitJsonCodec.Instance, InstanceTraits.Empty);
            var table = AliasTable.Build(instances, traits);

            // Each slot is drawn with probability 1/n and splits at its threshold between itself and its alias.
            var share = new double[count];
            foreach (var (slot, position) in table.Slots.Select((s, i) => (s, i)))
            {
                share[position] += slot.Threshold / 4294967296.0 / count;
                share[slot.Alias] += (1 - (slot.Threshold / 4294967296.0)) / count;
            }

            for (var i = 0; i < count; i++)
            {
                var expected = traits.TotalWeight == 0 ? 0 : (double)traits.Weights[i] / traits.TotalWeight;
                Assert.InRange(share[i] - (traits.TotalWeight == 0 ? share[i] : expected), -1e-8, 1e-8);
                if (traits.Weights[i] == 0 && traits.TotalWeight > 0)
                {
                    Assert.DoesNotContain(table.Slots.Select((s, p) => (s, p)), x => (x.p == i && x.s.Threshold > 0) || (x.s.Alias == i && x.s.Threshold < uint.MaxValue));
                }
            }
        }
    }

    [Theory]
    [InlineData("weighted-random")]
    [InlineData("weighted-least-outstanding")]
    public async Task WeightedPicks_Idle_FollowTheWeights(string kind)
    {
        // Weights 1, 2, 3, 4 and one undecodable string (weight 1): shares 1/11, 2/11, 3/11, 4/11, 1/11.
        await using var endpointer = Endpointer(Json("a", 1), Json("b", 2), Json("c", 3), Json("d", 4), "zz-not-json");
        var balancer = Create(kind, endpointer);
        const int picks = 1_100_000;

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < picks; i++)
        {
            var picked = balancer.Pick();
            counts[picked] = counts.GetValueOrDefault(picked) + 1;
        }

        // Five standard deviations of a binomial count: a fair draw falls outside about once in 1.7 million.
        foreach (var (name, weight) in new[] { ("a", 1), ("b", 2), ("c", 3), ("d", 4), ("zz-not-json", 1) })
        {
            var p = weight / 11.0;
            var sigma = Math.Sqrt(picks * p * (1 - p));
            Assert.InRange(counts.GetValueOrDefault(name), (picks * p) - (5 * sigma), (picks * p) + (5 * sigma));
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task DisabledInstances_AreNeverPicked(string kind)
    {
        await using var endpointer = Endpointer(Json("a", 1), Json("b", 5, enabled: false), Json("c", 2));
        var balancer = Create(kind, endpointer);

        for (var i = 0; i < 10_000; i++)
        {
            Assert.NotEqual("b", balancer.Pick());
        }

        var lease = balancer.Acquire(["a"]);
        Assert.Equal("c", lease.Endpoint);
        lease.Complete();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task AllDisabled_ThrowsNoEndpointsNamingIt(string kind)
    {
        await using var endpointer = Endpointer(Json("a", 1, enabled: false), Json("b", 1, enabled: false));
        var balancer = Create(kind, endpointer);

        var error = Assert.Throws<NoEndpointsException>(() => balancer.Pick());
        Assert.Contains("disabled", error.Message, StringComparison.Ordinal);
        Assert.Throws<NoEndpointsException>(() => balancer.Acquire());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task PickAndAcquire_AllocateNothing(string kind)
    {
        await using var endpointer = Endpointer(Json("a", 1), Json("b", 2), Json("c", 3));
        var balancer = Create(kind, endpointer);
        var picked = 0;

        var allocated = Allocations.Measure(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                picked += balancer.Pick().Length;
                var lease = balancer.Acquire();
                picked += lease.Endpoint.Length;
                lease.Complete();
            }
        });

        Assert.Equal(0, allocated);
        Assert.Equal(40_000, picked);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task SetChange_RebuildsTheTables(string kind)
    {
        var instancer = new ManualInstancer();
        await using var endpointer = new Endpointer<string>(instancer, HostOf);
        endpointer.Apply(new InstanceEvent([Json("a", 1), Json("b", 1, enabled: false)]));
        var balancer = Create(kind, endpointer);
        Assert.All(Enumerable.Range(0, 100).Select(_ => balancer.Pick()), p => Assert.Equal("a", p));

        endpointer.Apply(new InstanceEvent([Json("a", 1, enabled: false), Json("b", 1)]));

        Assert.All(Enumerable.Range(0, 100).Select(_ => balancer.Pick()), p => Assert.Equal("b", p));
    }

    [Fact]
    public async Task SmoothWeightedRoundRobin_SetChange_EveryPeriodHoldsTheNewWeights()
    {
        var instancer = new ManualInstancer();
        await using var endpointer = new Endpointer<string>(instancer, HostOf);
        endpointer.Apply(new InstanceEvent([Json("a", 1), Json("b", 1)]));
        var balancer = Balancers.SmoothWeightedRoundRobin(endpointer, SdKitJsonCodec.Instance);
        _ = Enumerable.Range(0, 3).Select(_ => balancer.Pick()).ToArray();

        endpointer.Apply(new InstanceEvent([Json("a", 5), Json("b", 1), Json("c", 1)]));

        // The new set's period starts from its beginning: nginx's sequence, period after period.
        var picks = string.Concat(Enumerable.Range(0, 14).Select(_ => balancer.Pick()));
        Assert.Equal("aabacaaaabacaa", picks);
    }

    [Fact]
    public async Task SmoothWeightedRoundRobin_LongPeriod_FilledInChunksMatchesNginx()
    {
        // 3 weight classes, a period of 60,000 picks: computed chunk by chunk as the counter reaches it.
        var instances = Enumerable.Range(0, 3_000).Select(i => Json($"h{i:D4}", (i % 3) + 19)).ToArray();
        await using var endpointer = Endpointer(instances);
        var balancer = Balancers.SmoothWeightedRoundRobin(endpointer, SdKitJsonCodec.Instance);
        var nginx = new NginxSmoothWeighted([.. endpointer.Current.Instances.Select(i => SdKitJsonCodec.Instance.Decode(i).Instance!.Weight)]);
        var hosts = endpointer.Current.ToArray();

        for (var i = 0; i < 130_000; i++)
        {
            Assert.Equal(hosts[nginx.Next()], balancer.Pick());
        }
    }

    [Fact]
    public async Task WeightedLeastOutstanding_CallsInFlight_SpreadInProportionToWeight()
    {
        await using var endpointer = Endpointer(Json("a", 1), Json("b", 3));
        var balancer = (WeightedLeastOutstandingBalancer<string>)Balancers.WeightedLeastOutstanding(endpointer, SdKitJsonCodec.Instance);

        var leases = Enumerable.Range(0, 4_000).Select(_ => balancer.Acquire()).ToList();

        // Unweighted P2C would hold 2,000 each; per unit of weight the loads stay close (1,000 : 3,000).
        var counts = balancer.InFlightByPosition();
        Assert.InRange(counts[0], 800, 1_200);
        Assert.Equal(4_000, counts.Sum());
        leases.ForEach(l => l.Complete());
        Assert.Equal([0, 0], balancer.InFlightByPosition());
    }

    [Fact]
    public async Task WeightedLeastOutstanding_SetChange_CarriesCountsLikeLeastOutstanding()
    {
        var instancer = new ManualInstancer();
        await using var endpointer = new Endpointer<string>(instancer, HostOf);
        endpointer.Apply(new InstanceEvent([Json("a", 1), Json("b", 1)]));
        var balancer = (WeightedLeastOutstandingBalancer<string>)Balancers.WeightedLeastOutstanding(endpointer, SdKitJsonCodec.Instance);
        var onA = balancer.Acquire(["b"]);
        var onB = balancer.Acquire(["a"]);

        endpointer.Apply(new InstanceEvent([Json("0", 1), Json("a", 1), Json("b", 1)]));

        Assert.Equal([0, 1, 1], balancer.InFlightByPosition());
        onA.Complete();
        onB.Complete();
        Assert.Equal([0, 0, 0], balancer.InFlightByPosition());
    }

    [Fact]
    public void Factories_NullArguments_ThrowArgumentNullException()
    {
        var endpointer = new FixedEndpointer<string>(["a"]);
        Assert.Throws<ArgumentNullException>(() => Balancers.WeightedRandom<string>(null!, PlainInstanceCodec.Instance));
        Assert.Throws<ArgumentNullException>(() => Balancers.WeightedRandom(endpointer, null!));
        Assert.Throws<ArgumentNullException>(() => Balancers.SmoothWeightedRoundRobin(endpointer, null!));
        Assert.Throws<ArgumentNullException>(() => Balancers.WeightedLeastOutstanding(endpointer, null!));
        Assert.Throws<ArgumentNullException>(() => Balancers.ZoneAware(endpointer, PlainInstanceCodec.Instance, null!));
    }

    internal static string Json(string host, int weight, bool enabled = true, string? zone = null)
        => $$"""{"host":"{{host}}","port":80,"weight":{{weight}},"enabled":{{(enabled ? "true" : "false")}}{{(zone is null ? string.Empty : $",\"zone\":\"{zone}\"")}}}""";

    internal static (string, IAsyncDisposable?) HostOf(string instance)
        => (SdKitJsonCodec.Instance.Decode(instance).Instance?.Host ?? instance, null);

    internal static Endpointer<string> Endpointer(params string[] instances) => new(new FixedInstancer(instances), HostOf);

    private static IBalancer<string> Create(string kind, IEndpointer<string> endpointer) => kind switch
    {
        "weighted-random" => Balancers.WeightedRandom(endpointer, SdKitJsonCodec.Instance),
        "smooth-weighted-round-robin" => Balancers.SmoothWeightedRoundRobin(endpointer, SdKitJsonCodec.Instance),
        "weighted-least-outstanding" => Balancers.WeightedLeastOutstanding(endpointer, SdKitJsonCodec.Instance),
        _ => Balancers.ZoneAware(endpointer, SdKitJsonCodec.Instance, new ZoneAwareOptions { LocalZone = "z1", MinClusterSize = 0 }),
    };

    /// <summary>nginx's loop as written (ngx_http_upstream_get_peer), for comparison.</summary>
    private sealed class NginxSmoothWeighted(int[] weights)
    {
        private readonly long[] _current = new long[weights.Length];

        public int Next()
        {
            long total = 0;
            var best = -1;
            for (var i = 0; i < weights.Length; i++)
            {
                if (weights[i] == 0)
                {
                    continue;
                }

                _current[i] += weights[i];
                total += weights[i];
                if (best < 0 || _current[i] > _current[best])
                {
                    best = i;
                }
            }

            _current[best] -= total;
            return best;
        }
    }
}
