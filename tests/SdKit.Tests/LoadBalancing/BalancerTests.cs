using SdKit.Endpoints;
using SdKit.Instances;
using SdKit.Instances.Codecs;
using SdKit.LoadBalancing;
using SdKit.Tests.Support;

namespace SdKit.Tests.LoadBalancing;

public sealed class BalancerTests
{
    public static TheoryData<string> Kinds => new() { "random", "round-robin", "least-outstanding", "peak-ewma", "outlier-ejection", "weighted-random", "smooth-weighted-round-robin", "weighted-least-outstanding", "zone-aware" };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Pick_EmptySet_ThrowsNoEndpointsException(string kind)
    {
        var balancer = Create(kind, new FixedEndpointer<string>([]));

        Assert.Throws<NoEndpointsException>(() => balancer.Pick());
        Assert.Throws<NoEndpointsException>(() => balancer.Acquire());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Pick_InvalidatedEndpoints_PassesEndpointerErrorThrough(string kind)
    {
        var options = new EndpointerOptions { InvalidateOnError = TimeSpan.Zero };
        await using var endpointer = new Endpointer<string>(new ManualInstancer(), i => (i, null), options);
        var cause = new InvalidOperationException("registry unreachable");
        endpointer.Apply(new InstanceEvent(["a"]).WithError(cause));
        var balancer = Create(kind, endpointer);

        var error = Assert.Throws<EndpointsUnavailableException>(() => balancer.Pick());
        Assert.Same(cause, error.InnerException);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Pick_AllocatesNothing(string kind)
    {
        var balancer = Create(kind, new FixedEndpointer<string>(["a", "b", "c"]));
        var picked = 0;

        var allocated = Allocations.Measure(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                picked += balancer.Pick().Length;
            }
        });

        Assert.Equal(0, allocated);
        Assert.Equal(20_000, picked);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Acquire_AvoidingAllButOne_PicksTheUntriedEndpoint(string kind)
    {
        var balancer = Create(kind, new FixedEndpointer<string>(["a", "b", "c"]));

        for (var i = 0; i < 50; i++)
        {
            var lease = balancer.Acquire(["a", "c"]);
            Assert.Equal("b", lease.Endpoint);
            lease.Complete();
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Pick_ManyThreads_EveryEndpointPickedAndNothingElse(string kind)
    {
        var endpoints = new[] { "a", "b", "c", "d" };
        var balancer = Create(kind, new FixedEndpointer<string>(endpoints));

        var counts = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            var local = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < 100_000; i++)
            {
                var picked = balancer.Pick();
                local[picked] = local.GetValueOrDefault(picked) + 1;
            }

            return local;
        })));

        var total = endpoints.ToDictionary(e => e, e => counts.Sum(c => c.GetValueOrDefault(e)));
        Assert.Equal(400_000, total.Values.Sum());
        Assert.All(total.Values, count => Assert.InRange(count, 60_000, 140_000));
    }

    [Fact]
    public void RoundRobin_Picks_RotateInOrderFromTheFirst()
    {
        var balancer = Balancers.RoundRobin(new FixedEndpointer<string>(["a", "b", "c"]));

        var picks = Enumerable.Range(0, 7).Select(_ => balancer.Pick()).ToArray();

        Assert.Equal(["a", "b", "c", "a", "b", "c", "a"], picks);
    }

    [Fact]
    public void RoundRobin_OneCallerOnManyThreads_RotatesGlobally()
    {
        // An async caller's continuations run on whichever pool thread is free: the rotation must not depend on it.
        var balancer = Balancers.RoundRobin(new FixedEndpointer<string>(["a", "b", "c"]));
        var picks = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var thread = new Thread(() => picks.Add(balancer.Pick()));
            thread.Start();
            thread.Join();
        }

        Assert.Equal(["a", "b", "c", "a", "b", "c"], picks);
    }

    [Fact]
    public async Task RoundRobin_ManyThreadsAtOnce_SpreadEvenly()
    {
        // Overlapping picks may share a step or repeat a stretch of the rotation; the spread must still be even.
        var endpoints = new[] { "a", "b", "c" };
        var balancer = Balancers.RoundRobin(new FixedEndpointer<string>(endpoints));
        const int perThread = 300_000;

        var counts = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            var local = new int[endpoints.Length];
            for (var i = 0; i < perThread; i++)
            {
                local[balancer.Pick()[0] - 'a']++;
            }

            return local;
        })));

        const int fair = 4 * perThread / 3;
        for (var e = 0; e < endpoints.Length; e++)
        {
            Assert.InRange(counts.Sum(c => c[e]), fair * 95 / 100, fair * 105 / 100);
        }
    }

    [Fact]
    public void RoundRobin_OneThread_RotatesStrictly()
    {
        var balancer = Balancers.RoundRobin(new FixedEndpointer<string>(["a", "b", "c"]));

        var picks = Enumerable.Range(0, 3_000).Select(_ => balancer.Pick()).ToArray();

        Assert.Equal(["a", "b", "c", "a"], picks[..4]);
        for (var i = 3; i < picks.Length; i++)
        {
            Assert.Equal(picks[i - 3], picks[i]);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(1_000)]
    [InlineData(10_007)]
    public void RoundRobin_AnySetSize_VisitsEveryEndpointOncePerRound(int size)
    {
        // The position is computed without a division; every size must still give a plain rotation.
        var endpoints = Enumerable.Range(0, size).Select(i => $"e{i:D6}").ToArray();
        var balancer = Balancers.RoundRobin(new FixedEndpointer<string>(endpoints));

        var picks = Enumerable.Range(0, size * 3).Select(_ => balancer.Pick()).ToArray();

        Assert.Equal([.. endpoints, .. endpoints, .. endpoints], picks);
    }

    [Fact]
    public async Task RoundRobin_SetShrinks_StaysWithinRange()
    {
        await using var endpointer = new Endpointer<string>(new ManualInstancer(), i => (i, null));
        endpointer.Apply(new InstanceEvent(["a", "b", "c", "d"]));
        var balancer = Balancers.RoundRobin(endpointer);
        Assert.Equal(["a", "b", "c"], Enumerable.Range(0, 3).Select(_ => balancer.Pick()).ToArray());

        endpointer.Apply(new InstanceEvent(["a", "b"]));

        // go-kit's semantics: the counter (now 3) goes on, modulo the new length.
        Assert.Equal(["b", "a", "b"], Enumerable.Range(0, 3).Select(_ => balancer.Pick()).ToArray());
    }

    [Fact]
    public void LeastOutstanding_CallInFlight_NextPickAvoidsBusyEndpoint()
    {
        var balancer = Balancers.LeastOutstanding(new FixedEndpointer<string>(["a", "b"]));

        var busy = balancer.Acquire();
        for (var i = 0; i < 20; i++)
        {
            Assert.NotEqual(busy.Endpoint, balancer.Pick());
        }

        busy.Complete();
        var seen = Enumerable.Range(0, 200).Select(_ => balancer.Pick()).ToHashSet();
        Assert.Equal(2, seen.Count);
    }

    [Fact]
    public async Task LeastOutstanding_SetChanges_CallsInFlightAreCarriedOver()
    {
        await using var endpointer = new Endpointer<string>(new ManualInstancer(), i => (i, null));
        endpointer.Apply(new InstanceEvent(["a", "b"]));
        var balancer = Balancers.LeastOutstanding(endpointer);
        var first = balancer.Acquire();
        var second = balancer.Acquire();
        Assert.NotEqual(first.Endpoint, second.Endpoint);
        var third = balancer.Acquire();
        first.Complete();
        second.Complete();

        endpointer.Apply(new InstanceEvent(["a", "b", "c"]));

        // 'third' is still in flight on a or b; c is idle, so p2c never prefers the busy one over c.
        for (var i = 0; i < 50; i++)
        {
            Assert.NotEqual(third.Endpoint, balancer.Pick());
        }

        third.Complete();
    }

    [Fact]
    public void Factories_NullEndpointer_ThrowArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => Balancers.Random<string>(null!));
        Assert.Throws<ArgumentNullException>(() => Balancers.RoundRobin<string>(null!));
        Assert.Throws<ArgumentNullException>(() => Balancers.LeastOutstanding<string>(null!));
    }

    private static IBalancer<string> Create(string kind, IEndpointer<string> endpointer) => kind switch
    {
        "random" => Balancers.Random(endpointer),
        "round-robin" => Balancers.RoundRobin(endpointer),
        "peak-ewma" => Balancers.PeakEwma(endpointer),
        "outlier-ejection" => SdKit.Outliers.OutlierEjection.Create(endpointer, Balancers.RoundRobin(endpointer)),

        // The weighted balancers over plain strings: every instance weight 1, enabled, no zone.
        "weighted-random" => Balancers.WeightedRandom(endpointer, PlainInstanceCodec.Instance),
        "smooth-weighted-round-robin" => Balancers.SmoothWeightedRoundRobin(endpointer, PlainInstanceCodec.Instance),
        "weighted-least-outstanding" => Balancers.WeightedLeastOutstanding(endpointer, PlainInstanceCodec.Instance),
        "zone-aware" => Balancers.ZoneAware(endpointer, PlainInstanceCodec.Instance, new ZoneAwareOptions { LocalZone = "z1", MinClusterSize = 0 }),
        _ => Balancers.LeastOutstanding(endpointer),
    };
}
