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

        return items[Rotation.Position(ref _counter.Position, set.ModMultiplier, items.Length)];
    }

    public BalancerLease<T> Acquire(IReadOnlyCollection<T>? avoid = null)
    {
        var set = _endpointer.Current;
        var items = BalancerGuards.Items(set);
        var next = Rotation.Position(ref _counter.Position, set.ModMultiplier, items.Length);
        var index = BalancerGuards.Avoiding(items, next, avoid);
        return new BalancerLease<T>(items[index], set.InstanceArray[index]);
    }
}
