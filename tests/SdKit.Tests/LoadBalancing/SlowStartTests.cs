using Microsoft.Extensions.Time.Testing;
using SdKit.Endpoints;
using SdKit.Instances;
using SdKit.LoadBalancing;
using SdKit.Outliers;
using SdKit.Tests.Support;

namespace SdKit.Tests.LoadBalancing;

/// <summary>
/// Slow start over round robin, on a <see cref="FakeTimeProvider"/> that stands still while a share is counted. Round
/// robin gives every endpoint exactly 1/n of the calls, so a ramping endpoint's share is 1/n times its factor; the
/// only randomness is the per-call draw, and the tolerances are five standard deviations of it.
/// </summary>
public sealed class SlowStartTests
{
    private const int Calls = 10_000;

    [Fact]
    public async Task Acquire_InstancesPresentAtStartup_AreNotRamped()
    {
        var clock = new FakeTimeProvider();
        await using var endpointer = Endpointer("a", "b", "c", "d");
        var balancer = SlowStart.Create(endpointer, Balancers.RoundRobin(endpointer), Options(clock));

        var counts = Count(balancer, 4000, acquire: true);

        Assert.All(["a", "b", "c", "d"], name => Assert.Equal(1000, counts[name]));
    }

    [Fact]
    public async Task Acquire_NewInstance_ShareRampsLinearlyOverTheWindowFromTheMinimum()
    {
        var clock = new FakeTimeProvider();
        await using var endpointer = Endpointer("a", "b", "c", "d");
        var balancer = SlowStart.Create(endpointer, Balancers.RoundRobin(endpointer), Options(clock));
        Count(balancer, 100, acquire: true); // the startup set is seen
        Join(balancer, endpointer, "a", "b", "c", "d", "e");

        var shares = new List<double>();
        for (var step = 0; step < 4; step++)
        {
            shares.Add(Share(balancer, "e", acquire: true));
            clock.Advance(TimeSpan.FromSeconds(2.5));
        }

        // Factor max(10 %, t / 10 s) of the 20 % a full member gets: 2 %, 5 %, 10 %, 15 %.
        AssertShare(0.02, shares[0]);
        AssertShare(0.05, shares[1]);
        AssertShare(0.10, shares[2]);
        AssertShare(0.15, shares[3]);
        Assert.Equal(Calls / 5, Count(balancer, Calls, acquire: true)["e"]);
    }

    [Fact]
    public async Task Pick_NewInstance_ShareRampsAsWithAcquire()
    {
        var clock = new FakeTimeProvider();
        await using var endpointer = Endpointer("a", "b", "c", "d");
        var balancer = SlowStart.Create(endpointer, Balancers.RoundRobin(endpointer), Options(clock));
        balancer.Pick();
        Join(balancer, endpointer, "a", "b", "c", "d", "e");

        var atStart = Share(balancer, "e", acquire: false);
        clock.Advance(TimeSpan.FromSeconds(5));
        var halfway = Share(balancer, "e", acquire: false);

        AssertShare(0.02, atStart);
        AssertShare(0.10, halfway);
    }

    [Fact]
    public async Task Acquire_Aggression_BendsTheRamp()
    {
        var clock = new FakeTimeProvider();
        await using var endpointer = Endpointer("a", "b", "c", "d");
        var options = Options(clock);
        options.Aggression = 2;
        var balancer = SlowStart.Create(endpointer, Balancers.RoundRobin(endpointer), options);
        Count(balancer, 10, acquire: true);
        Join(balancer, endpointer, "a", "b", "c", "d", "e");

        clock.Advance(TimeSpan.FromSeconds(2.5));

        // (0.25) ^ (1 / 2) = 0.5 of 20 %.
        AssertShare(0.10, Share(balancer, "e", acquire: true));
    }

    [Fact]
    public async Task Acquire_MinWeightPercent_IsTheShareAtTheStart()
    {
        var clock = new FakeTimeProvider();
        await using var endpointer = Endpointer("a", "b", "c", "d");
        var options = Options(clock);
        options.MinWeightPercent = 40;
        var balancer = SlowStart.Create(endpointer, Balancers.RoundRobin(endpointer), options);
        Count(balancer, 10, acquire: true);
        endpointer.Apply(new InstanceEvent(["a", "b", "c", "d", "e"]));

        AssertShare(0.08, Share(balancer, "e", acquire: true));
    }

    [Fact]
    public async Task Acquire_InstanceThatLeftAndCameBack_RampsAgain()
    {
        var clock = new FakeTimeProvider();
        await using var endpointer = Endpointer("a", "b", "c", "d", "e");
        var balancer = SlowStart.Create(endpointer, Balancers.RoundRobin(endpointer), Options(clock));
        Count(balancer, 10, acquire: true);

        endpointer.Apply(new InstanceEvent(["a", "b", "c", "d"]));
        Count(balancer, 10, acquire: true);
        endpointer.Apply(new InstanceEvent(["a", "b", "c", "d", "e"]));

        AssertShare(0.02, Share(balancer, "e", acquire: true));
    }

    [Fact]
    public async Task Acquire_AfterAnInvalidatedSet_KnownInstancesAreNotRamped()
    {
        var clock = new FakeTimeProvider();
        await using var endpointer = new Endpointer<string>(new ManualInstancer(), i => (i, null), new EndpointerOptions { InvalidateOnError = TimeSpan.Zero });
        endpointer.Apply(new InstanceEvent(["a", "b", "c", "d", "e"]));
        var balancer = SlowStart.Create(endpointer, Balancers.RoundRobin(endpointer), Options(clock));
        Count(balancer, 10, acquire: true);

        endpointer.Apply(new InstanceEvent(["a", "b", "c", "d", "e"]).WithError(new InvalidOperationException("registry unreachable")));
        Assert.Throws<EndpointsUnavailableException>(() => balancer.Acquire());
        endpointer.Apply(new InstanceEvent(["a", "b", "c", "d", "e"]));

        Assert.Equal(Calls / 5, Count(balancer, Calls, acquire: true)["e"]);
    }

    [Fact]
    public async Task Pick_DuringARamp_AllocatesNothing()
    {
        var clock = new FakeTimeProvider();
        await using var endpointer = Endpointer("a", "b", "c", "d");
        var balancer = SlowStart.Create(endpointer, Balancers.LeastOutstanding(endpointer), Options(clock));
        balancer.Pick();
        Join(balancer, endpointer, "a", "b", "c", "d", "e");
        clock.Advance(TimeSpan.FromSeconds(1));
        var picked = 0;

        var allocated = Allocations.Measure(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                picked += balancer.Pick() == "e" ? 1 : 0;
            }
        });

        Assert.Equal(0, allocated);
        Assert.InRange(picked, 1, 1999);
    }

    [Fact]
    public async Task Acquire_UnderOutlierEjection_BothLayersApply()
    {
        var clock = new FakeTimeProvider();
        await using var endpointer = Endpointer("a", "b", "c", "d");
        var slow = SlowStart.Create(endpointer, Balancers.RoundRobin(endpointer), Options(clock));
        var balancer = OutlierEjection.Create(endpointer, slow, new OutlierOptions { ConsecutiveFailures = 1, TimeProvider = clock });
        Count(balancer, 10, acquire: true);
        Join(balancer, endpointer, "a", "b", "c", "d", "e");
        while (true)
        {
            var lease = balancer.Acquire();
            lease.Complete(lease.Endpoint == "a" ? new InvalidOperationException("refused") : null);
            if (lease.Endpoint == "a")
            {
                break;
            }
        }

        var counts = Count(balancer, Calls, acquire: true);

        Assert.False(counts.ContainsKey("a"));
        AssertShare(0.02, counts.GetValueOrDefault("e") / (double)Calls);
    }

    [Theory]
    [InlineData(nameof(SlowStartOptions.Window), "-00:00:01")]
    [InlineData(nameof(SlowStartOptions.Aggression), "0")]
    [InlineData(nameof(SlowStartOptions.MinWeightPercent), "101")]
    public void Create_BadOption_ThrowsNamingOptionAndValue(string option, string value)
    {
        var options = new SlowStartOptions();
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        switch (option)
        {
            case nameof(SlowStartOptions.Window): options.Window = TimeSpan.Parse(value, invariant); break;
            case nameof(SlowStartOptions.Aggression): options.Aggression = double.Parse(value, invariant); break;
            default: options.MinWeightPercent = double.Parse(value, invariant); break;
        }

        var endpointer = new FixedEndpointer<string>(["a"]);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => SlowStart.Create(endpointer, Balancers.Random(endpointer), options));
        Assert.Equal(option, error.ParamName);
        Assert.Contains("SlowStartOptions." + option, error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    private static SlowStartOptions Options(FakeTimeProvider clock) => new()
    {
        Window = TimeSpan.FromSeconds(10),
        Aggression = 1,
        MinWeightPercent = 10,
        TimeProvider = clock,
    };

    private static Endpointer<string> Endpointer(params string[] instances)
    {
        var endpointer = new Endpointer<string>(new ManualInstancer(), i => (i, null));
        endpointer.Apply(new InstanceEvent(instances));
        return endpointer;
    }

    /// <summary>Publishes a set with new instances and makes one call, so that the layer sees them join now.</summary>
    private static void Join(IBalancer<string> balancer, Endpointer<string> endpointer, params string[] instances)
    {
        endpointer.Apply(new InstanceEvent(instances));
        balancer.Acquire().Complete();
    }

    private static Dictionary<string, int> Count(IBalancer<string> balancer, int calls, bool acquire)
    {
        var counts = new Dictionary<string, int>();
        for (var i = 0; i < calls; i++)
        {
            string picked;
            if (acquire)
            {
                var lease = balancer.Acquire();
                lease.Complete();
                picked = lease.Endpoint;
            }
            else
            {
                picked = balancer.Pick();
            }

            counts[picked] = counts.GetValueOrDefault(picked) + 1;
        }

        return counts;
    }

    private static double Share(IBalancer<string> balancer, string name, bool acquire)
        => Count(balancer, Calls, acquire).GetValueOrDefault(name) / (double)Calls;

    /// <summary>Asserts a share within five standard deviations of the per-call draw.</summary>
    private static void AssertShare(double expected, double actual)
    {
        var deviation = 5 * Math.Sqrt(expected * (1 - expected) / Calls);
        Assert.InRange(actual, expected - deviation, expected + deviation);
    }
}
