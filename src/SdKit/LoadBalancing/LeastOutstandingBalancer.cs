using SdKit.Endpoints;

namespace SdKit.LoadBalancing;

/// <summary>
/// Power of two choices: draws two endpoints at random and takes the one with fewer calls in flight, as counted by
/// leases (<see cref="IBalancer{T}.Acquire"/> enters, <see cref="BalancerLease{T}.Complete"/> leaves). A plain
/// <see cref="Pick"/> reads the counts without changing them, so it stays allocation-free.
/// </summary>
internal sealed class LeastOutstandingBalancer<T>(IEndpointer<T> endpointer) : IBalancer<T>
{
    private readonly Endpointer<T>? _builtIn = endpointer as Endpointer<T>;
    private LoadTable _table = new(EndpointSet<T>.Empty, []);

    public T Pick()
    {
        // No generic helper calls here: shared generic code would pay a dictionary lookup for each.
        var set = _builtIn is not null ? _builtIn.CurrentSet : endpointer.Current;
        var items = set.Items;
        if (items.Length == 0)
        {
            BalancerGuards.ThrowEmpty(set);
        }

        var table = Volatile.Read(ref _table);
        if (!ReferenceEquals(table.Set, set))
        {
            table = Rebuild(table, set);
        }

        return items[LoadChoice.Choose(table.Counters, items.Length)];
    }

    public BalancerLease<T> Acquire(IReadOnlyCollection<T>? avoid = null)
    {
        var set = endpointer.Current;
        var items = BalancerGuards.Items(set);
        var counters = TableFor(set).Counters;
        var index = BalancerGuards.Avoiding(items, LoadChoice.Choose(counters, items.Length), avoid);
        var counter = counters[index];
        counter.Enter();
        return new BalancerLease<T>(items[index], counter);
    }

    private LoadTable TableFor(EndpointSet<T> set)
    {
        var table = Volatile.Read(ref _table);
        return ReferenceEquals(table.Set, set) ? table : Rebuild(table, set);
    }

    private LoadTable Rebuild(LoadTable previous, EndpointSet<T> set)
    {
        // Carry the counts of instances that stayed (both lists are sorted), so calls in flight are not forgotten.
        var oldNames = previous.Set.InstanceArray;
        var names = set.InstanceArray;
        var counters = new OutstandingCounter[names.Length];
        var i = 0;
        for (var j = 0; j < names.Length; j++)
        {
            // The endpointer hands kept instances on as the same string objects, so a reference check settles most.
            while (i < oldNames.Length && !ReferenceEquals(oldNames[i], names[j]) && string.CompareOrdinal(oldNames[i], names[j]) < 0)
            {
                i++;
            }

            counters[j] = i < oldNames.Length && (ReferenceEquals(oldNames[i], names[j]) || string.Equals(oldNames[i], names[j], StringComparison.Ordinal))
                ? previous.Counters[i]
                : new OutstandingCounter();
        }

        var table = new LoadTable(set, counters);
        var raced = Interlocked.CompareExchange(ref _table, table, previous);
        return ReferenceEquals(raced, previous) ? table : TableFor(set);
    }

    /// <summary>The counters of one endpoint set, by position (plain fields: the pick reads them on every call).</summary>
    private sealed class LoadTable(EndpointSet<T> set, OutstandingCounter[] counters)
    {
        public readonly EndpointSet<T> Set = set;
        public readonly OutstandingCounter[] Counters = counters;
    }
}
