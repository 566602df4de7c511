using SdKit.Endpoints;
using SdKit.Instances.Codecs;

namespace SdKit.LoadBalancing;

/// <summary>
/// nginx's smooth weighted round robin: over weights 5, 1, 1 the picks go a a b a c a a, spreading the heavy
/// instance's turns instead of sending it five in a row. One shared counter, like the round robin; disabled
/// instances are never picked. The period is computed once per endpoint set (see <see cref="SmoothWeightedSchedule"/>).
/// </summary>
internal sealed class SmoothWeightedRoundRobinBalancer<T>(IEndpointer<T> endpointer, IInstanceCodec codec) : IBalancer<T>
{
    private readonly Endpointer<T>? _builtIn = endpointer as Endpointer<T>;
    private SmoothWeightedSchedule _schedule = SmoothWeightedSchedule.First(EndpointSet<T>.Empty);
    private PaddedPosition _counter;

    public T Pick()
    {
        var schedule = Volatile.Read(ref _schedule);
        var set = _builtIn is not null ? _builtIn.CurrentSet : endpointer.Current;
        var items = set.Items;
        if (items.Length == 0)
        {
            BalancerGuards.ThrowEmpty(set);
        }

        if (!ReferenceEquals(schedule.Set, set))
        {
            schedule = SmoothWeightedSchedule.Rebuild(ref _schedule, schedule, set, set.InstanceArray, codec, ref _counter.Position);
        }

        if (schedule.EnabledCount == 0)
        {
            WeightedGuards.ThrowAllDisabled(items.Length);
        }

        return items[schedule.Next(ref _counter.Position)];
    }

    public BalancerLease<T> Acquire(IReadOnlyCollection<T>? avoid = null)
    {
        var schedule = Volatile.Read(ref _schedule);
        var set = endpointer.Current;
        var items = BalancerGuards.Items(set);
        if (!ReferenceEquals(schedule.Set, set))
        {
            schedule = SmoothWeightedSchedule.Rebuild(ref _schedule, schedule, set, set.InstanceArray, codec, ref _counter.Position);
        }

        if (schedule.EnabledCount == 0)
        {
            WeightedGuards.ThrowAllDisabled(items.Length);
        }

        var index = WeightedGuards.Avoiding(items, schedule.Traits.Weights, schedule.Next(ref _counter.Position), avoid);
        return new BalancerLease<T>(items[index], set.InstanceArray[index]);
    }
}
