using System.Runtime.CompilerServices;
using SdKit.Endpoints;

namespace SdKit.LoadBalancing;

/// <summary>
/// Power of two choices over a latency-aware cost (Finagle's peak EWMA): two endpoints drawn at random, the one with
/// the lower decayed-peak latency times (calls in flight + 1) taken.
/// </summary>
internal sealed class PeakEwmaBalancer<T>(IEndpointer<T> endpointer, PeakEwmaOptions options) : IBalancer<T>, ILeaseObserver<T>
{
    private readonly TimeProvider _clock = options.TimeProvider;
    private readonly double _decayTicks = options.DecayTime.Ticks;
    private Loads _loads = new(EndpointSet<T>.Empty, []);

    public T Pick()
    {
        var set = endpointer.Current;
        var items = BalancerGuards.Items(set);
        return items[Choose(set, items)];
    }

    public BalancerLease<T> Acquire(IReadOnlyCollection<T>? avoid = null)
    {
        var set = endpointer.Current;
        var items = BalancerGuards.Items(set);
        var index = BalancerGuards.Avoiding(items, Choose(set, items), avoid);
        var load = LoadsFor(set).ByPosition[index];
        load.Enter();
        return new BalancerLease<T>(items[index], set.InstanceArray[index], this, load, _clock.GetTimestamp());
    }

    public void Completed(T endpoint, object? state, long started, Exception? error)
    {
        var now = _clock.GetTimestamp();
        ((PeakEwmaLoad)state!).Exit(now, _clock.GetElapsedTime(started, now).Ticks, _clock, _decayTicks);
    }

    private int Choose(EndpointSet<T> set, T[] items)
    {
        if (items.Length == 1)
        {
            return 0;
        }

        var loads = LoadsFor(set).ByPosition;
        var (first, second) = LoadChoice.Positions(ThreadRandom.NextBits(), items.Length);
        var now = _clock.GetTimestamp();
        return loads[second].Cost(now, _clock, _decayTicks) < loads[first].Cost(now, _clock, _decayTicks) ? second : first;
    }

    private Loads LoadsFor(EndpointSet<T> set)
    {
        var loads = Volatile.Read(ref _loads);
        return ReferenceEquals(loads.Set, set) ? loads : Rebuild(loads, set);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private Loads Rebuild(Loads previous, EndpointSet<T> set)
    {
        // Loads follow the instance string, so an instance that stays keeps its history across set changes.
        var known = new Dictionary<string, PeakEwmaLoad>(StringComparer.Ordinal);
        for (var i = 0; i < previous.ByPosition.Length; i++)
        {
            known.TryAdd(previous.Set.InstanceArray[i], previous.ByPosition[i]);
        }

        var now = _clock.GetTimestamp();
        var byPosition = new PeakEwmaLoad[set.Count];
        for (var i = 0; i < byPosition.Length; i++)
        {
            byPosition[i] = known.TryGetValue(set.InstanceArray[i], out var load) ? load : new PeakEwmaLoad(now);
        }

        var built = new Loads(set, byPosition);
        var seen = Interlocked.CompareExchange(ref _loads, built, previous);
        return ReferenceEquals(seen, previous) ? built : LoadsFor(set);
    }

    /// <summary>The loads of one endpoint set, by position.</summary>
    private sealed record Loads(EndpointSet<T> Set, PeakEwmaLoad[] ByPosition);
}
