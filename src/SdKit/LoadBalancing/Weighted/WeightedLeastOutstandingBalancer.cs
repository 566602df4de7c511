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
        var bits = ThreadRandom.NextBits();

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

        if (weights.EnabledCount == 0)
        {
            WeightedGuards.ThrowAllDisabled(items.Length);
        }

        return items[AliasTable.ChooseLessLoaded(weights, table.Counts, bits)];
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

        if (weights.EnabledCount == 0)
        {
            WeightedGuards.ThrowAllDisabled(items.Length);
        }

        var chosen = AliasTable.ChooseLessLoaded(weights, table.Counts, ThreadRandom.NextBits());
        var index = WeightedGuards.Avoiding(items, weights.Weights, chosen, avoid);
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
}
