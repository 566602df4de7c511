using SdKit.Endpoints;

namespace SdKit.LoadBalancing;

/// <summary>Picks uniformly at random, from a per-thread generator.</summary>
internal sealed class RandomBalancer<T>(IEndpointer<T> endpointer) : IBalancer<T>
{
    private readonly EndpointSource<T> _source = new(endpointer);

    public T Pick()
    {
        var items = BalancerGuards.Items(_source.Read());
        return items[ThreadRandom.Next(items.Length)];
    }

    public BalancerLease<T> Acquire(IReadOnlyCollection<T>? avoid = null)
    {
        var items = BalancerGuards.Items(_source.Read());
        var index = BalancerGuards.Avoiding(items, ThreadRandom.Next(items.Length), avoid);
        return new BalancerLease<T>(items[index], null);
    }
}
