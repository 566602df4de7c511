using Microsoft.Extensions.Time.Testing;
using SdKit.Endpoints;
using SdKit.LoadBalancing;

namespace SdKit.Tests.LoadBalancing;

public sealed class PeakEwmaBalancerTests
{
    [Fact]
    public void Pick_AfterLatencies_PrefersTheFasterEndpoint()
    {
        var clock = new FakeTimeProvider();
        var balancer = Create(["slow", "fast"], clock);

        Call(balancer, clock, "slow", TimeSpan.FromMilliseconds(100));
        Call(balancer, clock, "fast", TimeSpan.FromMilliseconds(10));

        for (var i = 0; i < 50; i++)
        {
            Assert.Equal("fast", balancer.Pick());
        }
    }

    [Fact]
    public void Pick_NewPeak_TakesEffectAtOnce()
    {
        var clock = new FakeTimeProvider();
        var balancer = Create(["a", "b"], clock);
        Call(balancer, clock, "a", TimeSpan.FromMilliseconds(20));
        Call(balancer, clock, "b", TimeSpan.FromMilliseconds(10));
        Assert.Equal("b", balancer.Pick());

        Call(balancer, clock, "b", TimeSpan.FromMilliseconds(200));

        Assert.Equal("a", balancer.Pick());
    }

    [Fact]
    public void Pick_LowLatencies_DecayThePeakOverTime()
    {
        var clock = new FakeTimeProvider();
        var balancer = Create(["a", "b"], clock, decay: TimeSpan.FromSeconds(1));
        Call(balancer, clock, "a", TimeSpan.FromMilliseconds(50));
        Call(balancer, clock, "b", TimeSpan.FromMilliseconds(200));
        Assert.Equal("a", balancer.Pick());

        // Fast answers from b after a long gap weigh almost fully: its average falls below a's.
        clock.Advance(TimeSpan.FromSeconds(10));
        Call(balancer, clock, "b", TimeSpan.FromMilliseconds(5));
        Call(balancer, clock, "a", TimeSpan.FromMilliseconds(50));

        Assert.Equal("b", balancer.Pick());
    }

    [Fact]
    public void Acquire_CallsInFlight_RaiseTheCost()
    {
        var clock = new FakeTimeProvider();
        var balancer = Create(["a", "b"], clock);
        Call(balancer, clock, "a", TimeSpan.FromMilliseconds(10));
        Call(balancer, clock, "b", TimeSpan.FromMilliseconds(15));
        Assert.Equal("a", balancer.Pick());

        var first = balancer.Acquire();
        Assert.Equal("a", first.Endpoint);

        // a now costs 10 x 2 = 20 against b's 15.
        Assert.Equal("b", balancer.Pick());
        first.Complete();
    }

    [Fact]
    public void Create_NonPositiveDecay_ThrowsNamingTheValue()
    {
        var endpointer = new FixedEndpointer<string>(["a"]);

        var error = Assert.Throws<ArgumentOutOfRangeException>(
            () => Balancers.PeakEwma(endpointer, new PeakEwmaOptions { DecayTime = TimeSpan.Zero }));

        Assert.Equal(nameof(PeakEwmaOptions.DecayTime), error.ParamName);
        Assert.Contains("00:00:00", error.Message, StringComparison.Ordinal);
    }

    private static IBalancer<string> Create(string[] names, FakeTimeProvider clock, TimeSpan? decay = null)
        => Balancers.PeakEwma(new FixedEndpointer<string>(names), new PeakEwmaOptions { TimeProvider = clock, DecayTime = decay ?? TimeSpan.FromSeconds(10) });

    /// <summary>Makes one call to <paramref name="name"/> (avoiding the others) that takes <paramref name="latency"/> on the fake clock.</summary>
    private static void Call(IBalancer<string> balancer, FakeTimeProvider clock, string name, TimeSpan latency)
    {
        var others = new[] { "a", "b", "slow", "fast" }.Where(n => n != name).ToArray();
        var lease = balancer.Acquire(others);
        Assert.Equal(name, lease.Endpoint);
        clock.Advance(latency);
        lease.Complete();
    }
}
