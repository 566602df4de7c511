using SdKit.Endpoints;

namespace SdKit.LoadBalancing;

/// <summary>Picks uniformly at random, from a per-thread generator.</summary>
/// <remarks>
/// The pick path avoids generic helper methods: for reference-type endpoints this class runs as shared generic code,
/// where every call to another generic method costs a runtime dictionary lookup.
/// </remarks>
internal sealed class RandomBalancer<T>(IEndpointer<T> endpointer) : IBalancer<T>, IPartBalancer<T>
{
    private readonly Endpointer<T>? _builtIn = endpointer as Endpointer<T>;

    public T Pick()
    {
        var set = _builtIn is not null ? _builtIn.CurrentSet : endpointer.Current;
        var items = set.Items;
        if (items.Length == 0)
        {
            BalancerGuards.ThrowEmpty(set);
        }

        return items[ThreadRandom.Next(items.Length)];
    }

    public T PickFrom(EndpointSet<T> set, ulong bits)
    {
        var items = set.Items;
        if (items.Length == 0)
        {
            BalancerGuards.ThrowEmpty(set);
        }

        // The high half, mapped as ThreadRandom.Next maps it.
        return items[(int)(((bits >> 32) * (ulong)(uint)items.Length) >> 32)];
    }

    public BalancerLease<T> Acquire(IReadOnlyCollection<T>? avoid = null)
    {
        var set = endpointer.Current;
        var items = BalancerGuards.Items(set);
        var index = BalancerGuards.Avoiding(items, ThreadRandom.Next(items.Length), avoid);
        return new BalancerLease<T>(items[index], set.InstanceArray[index]);
    }
}
