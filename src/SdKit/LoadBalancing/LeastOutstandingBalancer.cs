using SdKit.Endpoints;

namespace SdKit.LoadBalancing;

/// <summary>
/// Power of two choices: draws two endpoints at random and takes the one with fewer calls in flight, as counted by
/// leases (<see cref="IBalancer{T}.Acquire"/> enters, <see cref="BalancerLease{T}.Complete"/> leaves). A plain
/// <see cref="Pick"/> reads the counts without changing them, so it stays allocation-free.
/// </summary>
internal sealed class LeastOutstandingBalancer<T>(IEndpointer<T> endpointer) : IBalancer<T>
{
    private readonly EndpointSource<T> _source = new(endpointer);
    private LoadTable _table = new(EndpointSet<T>.Empty, []);

    public T Pick()
    {
        var set = _source.Read();
        var items = BalancerGuards.Items(set);
        return items[Choose(TableFor(set).Counters, items.Length)];
    }

    public BalancerLease<T> Acquire(IReadOnlyCollection<T>? avoid = null)
    {
        var set = _source.Read();
        var items = BalancerGuards.Items(set);
        var counters = TableFor(set).Counters;
        var index = BalancerGuards.Avoiding(items, Choose(counters, items.Length), avoid);
        var counter = counters[index];
        counter.Enter();
        return new BalancerLease<T>(items[index], counter);
    }

    private static int Choose(OutstandingCounter[] counters, int length)
    {
        if (length == 1)
        {
            return 0;
        }

        var first = ThreadRandom.Next(length);
        var second = ThreadRandom.Next(length - 1);
        if (second >= first)
        {
            second++;
        }

        return counters[second].InFlight < counters[first].InFlight ? second : first;
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
            while (i < oldNames.Length && string.CompareOrdinal(oldNames[i], names[j]) < 0)
            {
                i++;
            }

            counters[j] = i < oldNames.Length && string.Equals(oldNames[i], names[j], StringComparison.Ordinal)
                ? previous.Counters[i]
                : new OutstandingCounter();
        }

        var table = new LoadTable(set, counters);
        var raced = Interlocked.CompareExchange(ref _table, table, previous);
        return ReferenceEquals(raced, previous) ? table : TableFor(set);
    }

    private sealed record LoadTable(EndpointSet<T> Set, OutstandingCounter[] Counters);
}
