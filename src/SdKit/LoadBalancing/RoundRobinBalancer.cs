using SdKit.Endpoints;

namespace SdKit.LoadBalancing;

/// <summary>
/// Cycles through the set. The position is striped by thread: each thread rotates on its own cache line (threads
/// beyond the stripe count share), so concurrent picks never contend on one shared counter (go-kit's single atomic
/// counter ping-pongs between cores). One thread sees a strict rotation; across threads every endpoint is still
/// picked evenly.
/// </summary>
internal sealed class RoundRobinBalancer<T> : IBalancer<T>
{
    private readonly EndpointSource<T> _source;
    private readonly PaddedPosition[] _stripes;
    private readonly int _mask;

    public RoundRobinBalancer(IEndpointer<T> endpointer, int stripes)
    {
        _source = new EndpointSource<T>(endpointer);
        var count = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, stripes));
        _stripes = new PaddedPosition[count];
        _mask = count - 1;
    }

    public T Pick()
    {
        var items = BalancerGuards.Items(_source.Read());
        return items[Advance(items.Length)];
    }

    public BalancerLease<T> Acquire(IReadOnlyCollection<T>? avoid = null)
    {
        var items = BalancerGuards.Items(_source.Read());
        return new BalancerLease<T>(items[BalancerGuards.Avoiding(items, Advance(items.Length), avoid)], null);
    }

    private int Advance(int length)
    {
        // Plain, unsynchronized writes: a lost update between two threads on one stripe only repeats a position.
        ref var position = ref _stripes[ThreadStripe.Index & _mask].Position;
        var index = position;
        if ((uint)index >= (uint)length)
        {
            index = 0;
        }

        position = index + 1;
        return index;
    }
}
