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
    private readonly IEndpointer<T> _endpointer;
    private readonly Endpointer<T>? _builtIn;
    private readonly PaddedPosition[] _stripes;
    private readonly int _mask;

    public RoundRobinBalancer(IEndpointer<T> endpointer, int stripes)
    {
        _endpointer = endpointer;
        _builtIn = endpointer as Endpointer<T>;
        var count = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, stripes));
        _stripes = new PaddedPosition[count];
        _mask = count - 1;
    }

    public T Pick()
    {
        // No generic helper calls here: shared generic code would pay a dictionary lookup for each.
        var set = _builtIn is not null ? _builtIn.CurrentSet : _endpointer.Current;
        var items = set.Items;
        if (items.Length == 0)
        {
            BalancerGuards.ThrowEmpty(set);
        }

        ref var position = ref _stripes[ThreadStripe.Index & _mask].Position;
        var index = position;
        if ((uint)index >= (uint)items.Length)
        {
            index = 0;
        }

        position = index + 1;
        return items[index];
    }

    public BalancerLease<T> Acquire(IReadOnlyCollection<T>? avoid = null)
    {
        var items = BalancerGuards.Items(_endpointer.Current);
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
