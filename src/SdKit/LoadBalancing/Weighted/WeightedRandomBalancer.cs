using SdKit.Endpoints;
using SdKit.Instances.Codecs;

namespace SdKit.LoadBalancing;

/// <summary>Picks at random with probability proportional to each instance's weight (disabled instances never), in constant time.</summary>
/// <remarks>The weights are decoded and the alias table built once per endpoint set, on the first pick that sees it.</remarks>
internal sealed class WeightedRandomBalancer<T>(IEndpointer<T> endpointer, IInstanceCodec codec) : IBalancer<T>, IPartBalancer<T>
{
    private readonly Endpointer<T>? _builtIn = endpointer as Endpointer<T>;
    private AliasTable _table = AliasTable.First(EndpointSet<T>.Empty);

    public T Pick()
    {
        var bits = ThreadRandom.NextBits();
        var table = Volatile.Read(ref _table);
        var set = _builtIn is not null ? _builtIn.CurrentSet : endpointer.Current;
        var items = set.Items;
        if (items.Length == 0)
        {
            BalancerGuards.ThrowEmpty(set);
        }

        if (!ReferenceEquals(table.Set, set))
        {
            table = AliasTable.Rebuild(ref _table, table, set, set.InstanceArray, codec);
        }

        if (table.EnabledCount == 0)
        {
            WeightedGuards.ThrowAllDisabled(items.Length);
        }

        return items[AliasTable.Draw(table.Slots, bits)];
    }

    public T PickFrom(EndpointSet<T> set, ulong bits)
    {
        // The draw needs both halves: remix, so the side does not follow the caller's use of the low half.
        bits *= 0x9E3779B97F4A7C15;
        bits ^= bits >> 29;
        var items = set.Items;
        if (items.Length == 0)
        {
            BalancerGuards.ThrowEmpty(set);
        }

        var table = Volatile.Read(ref _table);
        if (!ReferenceEquals(table.Set, set))
        {
            table = AliasTable.Rebuild(ref _table, table, set, set.InstanceArray, codec);
        }

        if (table.EnabledCount == 0)
        {
            WeightedGuards.ThrowAllDisabled(items.Length);
        }

        return items[AliasTable.Draw(table.Slots, bits)];
    }

    public BalancerLease<T> Acquire(IReadOnlyCollection<T>? avoid = null)
    {
        var table = Volatile.Read(ref _table);
        var set = endpointer.Current;
        var items = BalancerGuards.Items(set);
        if (!ReferenceEquals(table.Set, set))
        {
            table = AliasTable.Rebuild(ref _table, table, set, set.InstanceArray, codec);
        }

        if (table.EnabledCount == 0)
        {
            WeightedGuards.ThrowAllDisabled(items.Length);
        }

        var index = WeightedGuards.Avoiding(items, table.Weights, AliasTable.Draw(table.Slots, ThreadRandom.NextBits()), avoid);
        return new BalancerLease<T>(items[index], set.InstanceArray[index]);
    }
}
