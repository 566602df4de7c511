using SdKit.Endpoints;

namespace SdKit.LoadBalancing;

/// <summary>
/// Cycles through the set with one shared atomic counter (go-kit's semantics: index = counter mod length).
/// </summary>
/// <remarks>
/// The counter is shared on purpose. A per-thread position is cheaper under contention, but a caller whose async
/// continuations land on different pool threads would then see positions of unrelated threads and could be sent to
/// the same instance twice in a row; a rotation has to be global to mean anything to one caller. The counter sits
/// alone on its cache line so it does not also slow neighbouring fields.
/// </remarks>
internal sealed class RoundRobinBalancer<T> : IBalancer<T>
{
    private readonly IEndpointer<T> _endpointer;
    private readonly Endpointer<T>? _builtIn;
    private PaddedPosition _counter;

    public RoundRobinBalancer(IEndpointer<T> endpointer)
    {
        _endpointer = endpointer;
        _builtIn = endpointer as Endpointer<T>;
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

        // n % length without a division (see EndpointSet.ModMultiplier).
        var n = (uint)(Interlocked.Increment(ref _counter.Position) - 1);
        return items[(int)Math.BigMul(set.ModMultiplier * n, (ulong)(uint)items.Length, out _)];
    }

    public BalancerLease<T> Acquire(IReadOnlyCollection<T>? avoid = null)
    {
        var items = BalancerGuards.Items(_endpointer.Current);
        return new BalancerLease<T>(items[BalancerGuards.Avoiding(items, Advance(items.Length), avoid)], null);
    }

    private int Advance(int length)
        => (int)((uint)(Interlocked.Increment(ref _counter.Position) - 1) % (uint)length);
}
