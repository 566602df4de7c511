using SdKit.Endpoints;
using SdKit.Instances;
using SdKit.LoadBalancing;
using SdKit.Tests.Support;

namespace SdKit.Tests.LoadBalancing;

public sealed class LeastOutstandingBalancerTests
{
    [Fact]
    public void Acquire_TwoEndpoints_KeepsTheLoadEven()
    {
        // With two endpoints both choices are always drawn, so every acquire goes to the less loaded one.
        var balancer = Create(new FixedEndpointer<string>(["a", "b"]));
        var leases = new List<BalancerLease<string>>();

        for (var i = 0; i < 1_000; i++)
        {
            leases.Add(balancer.Acquire());
            var counts = balancer.InFlightByPosition();
            Assert.InRange(Math.Abs(counts[0] - counts[1]), 0, 1);
        }

        Assert.Equal([500, 500], balancer.InFlightByPosition());
        Assert.Equal(500, leases.Count(l => l.Endpoint == "a"));
    }

    [Fact]
    public void Pick_OneEndpointBusier_PrefersTheLessLoaded()
    {
        var balancer = Create(new FixedEndpointer<string>(["a", "b", "c"]));
        var held = Enumerable.Range(0, 5).Select(_ => balancer.Acquire(["b", "c"])).ToList();
        Assert.All(held, l => Assert.Equal("a", l.Endpoint));

        // a is drawn in two of three pairs and loses both: it is never picked while the others are idle.
        for (var i = 0; i < 300; i++)
        {
            Assert.NotEqual("a", balancer.Pick());
        }

        held.ForEach(l => l.Complete());
        Assert.Equal([0, 0, 0], balancer.InFlightByPosition());
    }

    [Fact]
    public async Task InFlightByPosition_OneSetChange_CarriesKeptCountsExactly()
    {
        await using var endpointer = new Endpointer<string>(new ManualInstancer(), i => (i, null));
        endpointer.Apply(new InstanceEvent(["a", "b", "c"]));
        var balancer = Create(endpointer);
        var onA = AcquireOn(balancer, "a", 2, endpointer);
        var onB = AcquireOn(balancer, "b", 3, endpointer);
        var onC = AcquireOn(balancer, "c", 4, endpointer);
        Assert.Equal([2, 3, 4], balancer.InFlightByPosition());

        endpointer.Apply(new InstanceEvent(["0", "a", "c", "d"]));

        Assert.Equal([0, 2, 4, 0], balancer.InFlightByPosition());
        onA[0].Complete();
        onC[0].Complete();
        onB.ForEach(l => l.Complete());
        Assert.Equal([0, 1, 3, 0], balancer.InFlightByPosition());
        onA[1].Complete();
        onC.Skip(1).ToList().ForEach(l => l.Complete());
        Assert.Equal([0, 0, 0, 0], balancer.InFlightByPosition());
    }

    [Fact]
    public async Task InFlightByPosition_SeveralSetChanges_LeasesFromEveryGenerationSettleToZero()
    {
        await using var endpointer = new Endpointer<string>(new ManualInstancer(), i => (i, null));
        var balancer = Create(endpointer);
        var held = new List<BalancerLease<string>>();
        string[][] sets = [["a", "b"], ["a", "b", "c"], ["b", "c"], ["a", "b", "c", "d"], ["c", "d"], ["a", "c", "d"]];

        // Per instance: the leases whose enter still counts (taken since the instance last joined the set).
        var model = new Dictionary<string, List<BalancerLease<string>>>(StringComparer.Ordinal);
        foreach (var set in sets)
        {
            foreach (var gone in model.Keys.Except(set).ToList())
            {
                model.Remove(gone);
            }

            endpointer.Apply(new InstanceEvent(set));
            foreach (var instance in set)
            {
                var leases = AcquireOn(balancer, instance, 2, endpointer);
                held.AddRange(leases);
                model.TryAdd(instance, []);
                model[instance].AddRange(leases);
            }

            // Complete one lease from the oldest generation still held: its leave must reach wherever its enter went.
            var oldest = held[0];
            held.RemoveAt(0);
            oldest.Complete();
            if (model.TryGetValue(oldest.Endpoint, out var counted))
            {
                counted.Remove(oldest);
            }

            Assert.Equal(set.Select(i => model[i].Count).ToArray(), balancer.InFlightByPosition());
        }

        held.ForEach(l => l.Complete());
        Assert.Equal([0, 0, 0], balancer.InFlightByPosition());
    }

    [Fact]
    public async Task Complete_InstanceRemovedAndAddedAgain_DoesNotTouchTheNewCount()
    {
        await using var endpointer = new Endpointer<string>(new ManualInstancer(), i => (i, null));
        endpointer.Apply(new InstanceEvent(["a", "b"]));
        var balancer = Create(endpointer);
        var onB = AcquireOn(balancer, "b", 3, endpointer);

        endpointer.Apply(new InstanceEvent(["a"]));
        Assert.Equal([0], balancer.InFlightByPosition());
        endpointer.Apply(new InstanceEvent(["a", "b"]));
        var fresh = AcquireOn(balancer, "b", 1, endpointer);
        onB.ForEach(l => l.Complete());

        Assert.Equal([0, 1], balancer.InFlightByPosition());
        fresh[0].Complete();
        Assert.Equal([0, 0], balancer.InFlightByPosition());
    }

    [Fact]
    public async Task Acquire_ConcurrentSetChanges_CountsEqualLeasesHeldAndSettleToZero()
    {
        // Kept instances are in every set; churned ones come and go. Workers acquire and complete all along.
        string[] kept = ["k1", "k2", "k3"];
        string[] churn = ["c1", "c2", "c3", "c4", "c5"];
        await using var endpointer = new Endpointer<string>(new ManualInstancer(), i => (i, null));
        endpointer.Apply(new InstanceEvent(kept));
        var balancer = Create(endpointer);
        const int Workers = 3;
        using var start = new Barrier(Workers + 1);
        var writing = 1;

        var writer = Task.Run(() =>
        {
            start.SignalAndWait();
            var random = new Random(17);
            for (var i = 0; i < 3_000; i++)
            {
                endpointer.Apply(new InstanceEvent([.. kept, .. churn.Where(_ => random.Next(2) == 0)]));
                Thread.Yield();
            }

            Volatile.Write(ref writing, 0);
        });

        var workers = Enumerable.Range(0, Workers).Select(w => Task.Run(() =>
        {
            var random = new Random(w);
            var held = new List<BalancerLease<string>>();
            start.SignalAndWait();
            var rounds = 0;
            while (Volatile.Read(ref writing) == 1 || rounds < 20_000)
            {
                rounds++;
                if (held.Count < 8 && random.Next(2) == 0)
                {
                    held.Add(random.Next(4) == 0 ? balancer.Acquire(churn) : balancer.Acquire());
                }
                else if (held.Count > 0)
                {
                    var index = random.Next(held.Count);
                    held[index].Complete();
                    held.RemoveAt(index);
                }
            }

            return held;
        })).ToArray();

        await writer.WaitAsync(TimeSpan.FromMinutes(2));
        var stillHeld = (await Task.WhenAll(workers).WaitAsync(TimeSpan.FromMinutes(2))).SelectMany(h => h).ToList();

        var instances = endpointer.Current.Instances;
        var counts = balancer.InFlightByPosition();
        for (var i = 0; i < instances.Length; i++)
        {
            var holding = stillHeld.Count(l => l.Endpoint == instances[i]);
            if (kept.Contains(instances[i]))
            {
                Assert.Equal(holding, counts[i]);
            }
            else
            {
                // A churned instance's older leases were dropped when it left; only those since it joined count.
                Assert.InRange(counts[i], 0, holding);
            }
        }

        stillHeld.ForEach(l => l.Complete());
        Assert.All(balancer.InFlightByPosition(), count => Assert.Equal(0, count));
    }

    [Fact]
    public async Task Complete_InstanceRemoved_LeavesRemainingCountsAlone()
    {
        await using var endpointer = new Endpointer<string>(new ManualInstancer(), i => (i, null));
        endpointer.Apply(new InstanceEvent(["a", "b"]));
        var balancer = Create(endpointer);
        var onA = AcquireOn(balancer, "a", 1, endpointer);
        var onB = AcquireOn(balancer, "b", 2, endpointer);

        endpointer.Apply(new InstanceEvent(["b"]));
        onA[0].Complete();

        Assert.Equal([2], balancer.InFlightByPosition());
        onB.ForEach(l => l.Complete());
        Assert.Equal([0], balancer.InFlightByPosition());
    }

    [Fact]
    public async Task Acquire_LeaseNeverCompleted_DoesNotKeepTheOldEndpointSet()
    {
        await using var endpointer = new Endpointer<string>(new ManualInstancer(), i => (i, null));
        var balancer = Create(endpointer);
        var (oldSet, lease) = AcquireOnNewSet(endpointer, balancer, ["a", "b"]);

        endpointer.Apply(new InstanceEvent(["b", "c"]));
        _ = balancer.Pick();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.False(oldSet.TryGetTarget(out _), "the abandoned lease kept the superseded endpoint set alive");
        GC.KeepAlive(lease);
    }

    private static LeastOutstandingBalancer<string> Create(IEndpointer<string> endpointer)
        => (LeastOutstandingBalancer<string>)Balancers.LeastOutstanding(endpointer);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static (WeakReference<EndpointSet<string>> Set, BalancerLease<string> Lease) AcquireOnNewSet(
        Endpointer<string> endpointer, IBalancer<string> balancer, string[] instances)
    {
        endpointer.Apply(new InstanceEvent(instances));
        return (new WeakReference<EndpointSet<string>>(endpointer.Current), balancer.Acquire());
    }

    private static List<BalancerLease<string>> AcquireOn(IBalancer<string> balancer, string instance, int count, IEndpointer<string> endpointer)
    {
        var others = endpointer.Current.Where(e => e != instance).ToArray();
        var leases = Enumerable.Range(0, count).Select(_ => balancer.Acquire(others)).ToList();
        Assert.All(leases, l => Assert.Equal(instance, l.Endpoint));
        return leases;
    }
}
