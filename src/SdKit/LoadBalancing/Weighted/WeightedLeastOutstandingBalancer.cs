using SdKit.Endpoints;
using SdKit.Instances.Codecs;

namespace SdKit.LoadBalancing;

/// <summary>
/// Weighted power of two choices: two endpoints drawn in proportion to their weights (disabled ones never), the one
/// with fewer calls in flight per unit of weight taken (the first drawn on a tie). Idle, the picks follow the weights
/// exactly; loaded, an instance of weight 2 is given about twice the calls in flight of one of weight 1.
/// </summary>
/// <remarks>
/// The counts are the least-outstanding balancer's own <see cref="LoadTable"/> chain (exact across set changes while
/// leases are in flight); the draw is an <see cref="AliasTable"/> built once per set beside it.
/// </remarks>
internal sealed class WeightedLeastOutstandingBalancer<T>(IEndpointer<T> endpointer, IInstanceCodec codec) : IBalancer<T>
{
    private readonly Endpointer<T>? _builtIn = endpointer as Endpointer<T>;
    private LoadTable _table = LoadTable.First(EndpointSet<T>.Empty);
    private AliasTable _weights = AliasTable.First(EndpointSet<T>.Empty);

    public T Pick()
    {
        var firstBits = ThreadRandom.NextBits();
        var secondBits = ThreadRandom.NextBits();

        // Both tables are read before the set, so neither is rebuilt backwards (see LeastOutstandingBalancer).
        var table = Volatile.Read(ref _table);
        var weights = Volatile.Read(ref _weights);
        var set = _builtIn is not null ? _builtIn.CurrentSet : endpointer.Current;
        var items = set.Items;
        if (items.Length == 0)
        {
            BalancerGuards.ThrowEmpty(set);
        }

        if (!ReferenceEquals(table.Set, set))
        {
            table = LoadTable.Advance(ref _table, table, set, set.InstanceArray);
        }

        if (!ReferenceEquals(weights.Set, set))
        {
            weights = AliasTable.Rebuild(ref _weights, weights, set, set.InstanceArray, codec);
        }

        return items[Choose(table.Counts, weights, firstBits, secondBits, items.Length)];
    }

    public BalancerLease<T> Acquire(IReadOnlyCollection<T>? avoid = null)
    {
        var table = Volatile.Read(ref _table);
        var weights = Volatile.Read(ref _weights);
        var set = endpointer.Current;
        var items = BalancerGuards.Items(set);
        if (!ReferenceEquals(table.Set, set))
        {
            table = LoadTable.Advance(ref _table, table, set, set.InstanceArray);
        }

        if (!ReferenceEquals(weights.Set, set))
        {
            weights = AliasTable.Rebuild(ref _weights, weights, set, set.InstanceArray, codec);
        }

        var chosen = Choose(table.Counts, weights, ThreadRandom.NextBits(), ThreadRandom.NextBits(), items.Length);
        var index = WeightedGuards.Avoiding(items, weights.Traits.Weights, chosen, avoid);
        LoadTable.Add(table, index, 1);
        return new BalancerLease<T>(items[index], table, index, set.InstanceArray[index]);
    }

    /// <summary>Returns a copy of the current set's counts by position (for tests and diagnostics).</summary>
    internal int[] InFlightByPosition()
    {
        var table = Volatile.Read(ref _table);
        var set = endpointer.Current;
        return (ReferenceEquals(table.Set, set) ? table : LoadTable.Advance(ref _table, table, set, set.InstanceArray)).Counts.ToArray();
    }

    private static int Choose(int[] counts, AliasTable weights, ulong firstBits, ulong secondBits, int length)
    {
        if (weights.Traits.EnabledCount == 0)
        {
            WeightedGuards.ThrowAllDisabled(length);
        }

        var slots = weights.Slots;
        var first = AliasTable.Draw(slots, firstBits);
        var second = AliasTable.Draw(slots, secondBits);
        var w = weights.Traits.Weights;

        // counts[second] / w[second] < counts[first] / w[first], without a division.
        return (long)counts[second] * w[first] < (long)counts[first] * w[second] ? second : first;
    }
}
