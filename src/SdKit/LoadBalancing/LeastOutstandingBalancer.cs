using SdKit.Endpoints;

namespace SdKit.LoadBalancing;

/// <summary>
/// Power of two choices: draws two endpoints at random and takes the one with fewer calls in flight, as counted by
/// leases (<see cref="IBalancer{T}.Acquire"/> enters, <see cref="BalancerLease{T}.Complete"/> leaves). A plain
/// <see cref="Pick"/> reads the counts without changing them, so it stays allocation-free.
/// </summary>
/// <remarks>
/// The counts live in a <see cref="LoadTable"/> per endpoint set (one contiguous array, see there for how counts
/// move exactly from one set's table to the next while leases are in flight). The table is non-generic and compares
/// its set as an <see cref="object"/>, so the pick makes no generic helper call: for reference-type endpoints this
/// class runs as shared generic code, where each such call costs a runtime dictionary lookup.
/// </remarks>
internal sealed class LeastOutstandingBalancer<T>(IEndpointer<T> endpointer) : IBalancer<T>
{
    private readonly Endpointer<T>? _builtIn = endpointer as Endpointer<T>;
    private LoadTable _table = LoadTable.First(EndpointSet<T>.Empty);

    public T Pick()
    {
        // The random draw comes first, while almost nothing else is live: reading the per-thread state goes through a
        // helper call, and with the set, endpoints and table already held across it the JIT ran out of callee-saved
        // registers and kept the state's address on the stack (about a tenth of the pick, measured on 2 threads).
        var bits = ThreadRandom.NextBits();

        // The table is read before the set, so the set is never older than the one the table was built for: a pick
        // rebuilds forwards only (read the other way round, a thread holding the previous set would rebuild back to
        // it and the next pick forwards again).
        var table = Volatile.Read(ref _table);
        var set = _builtIn is not null ? _builtIn.CurrentSet : endpointer.Current;
        var items = set.Items;
        if (items.Length == 0)
        {
            BalancerGuards.ThrowEmpty(set);
        }

        if (!ReferenceEquals(table.Set, set))
        {
            table = Rebuild(table, set);
        }

        if (items.Length == 1)
        {
            return items[0];
        }

        // Both endpoints are loaded before the counts are compared, so the endpoint load does not wait for the
        // count loads (the choice is a conditional move, not a branch).
        var (first, second) = LoadChoice.Positions(bits, items.Length);
        var counts = table.Counts;
        var firstItem = items[first];
        var secondItem = items[second];
        return counts[second] < counts[first] ? secondItem : firstItem;
    }

    public BalancerLease<T> Acquire(IReadOnlyCollection<T>? avoid = null)
    {
        var table = Volatile.Read(ref _table);
        var set = endpointer.Current;
        var items = BalancerGuards.Items(set);
        if (!ReferenceEquals(table.Set, set))
        {
            table = Rebuild(table, set);
        }

        var index = BalancerGuards.Avoiding(items, LoadChoice.Choose(table.Counts, items.Length), avoid);
        LoadTable.Add(table, index, 1);
        return new BalancerLease<T>(items[index], table, index, set.InstanceArray[index]);
    }

    /// <summary>Returns a copy of the current set's counts by position (for tests and diagnostics).</summary>
    internal int[] InFlightByPosition()
    {
        var table = Volatile.Read(ref _table);
        var set = endpointer.Current;
        return (ReferenceEquals(table.Set, set) ? table : Rebuild(table, set)).Counts.ToArray();
    }

    /// <summary>Finds or builds the table of <paramref name="set"/>, starting from <paramref name="table"/>.</summary>
    private LoadTable Rebuild(LoadTable table, EndpointSet<T> set) => LoadTable.Advance(ref _table, table, set, set.InstanceArray);
}
