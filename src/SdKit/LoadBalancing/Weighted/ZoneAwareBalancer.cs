using SdKit.Endpoints;
using SdKit.Instances.Codecs;

namespace SdKit.LoadBalancing;

/// <summary>
/// Zone-aware routing over any balancer: keeps picks in the caller's zone while it holds at least the callers' share
/// of the capacity, sends the rest to the other zones otherwise (see <see cref="ZoneSplit{T}"/> for the rule). The
/// inner balancers, one per part (local, remote, all enabled), pick within their part; disabled instances are in none.
/// </summary>
/// <typeparam name="T">The endpoint type.</typeparam>
internal sealed class ZoneAwareBalancer<T> : IBalancer<T>
{
    private readonly Endpointer<T>? _builtIn;
    private readonly IInstanceCodec _codec;
    private readonly ZoneAwareOptions _options;
    private readonly IBalancer<T>[] _inner;
    private readonly Func<EndpointSet<T>, ulong, T>?[] _direct;
    private ZoneSplit<T> _split = ZoneSplit<T>.First();

    public ZoneAwareBalancer(IEndpointer<T> endpointer, IInstanceCodec codec, ZoneAwareOptions options, Func<IEndpointer<T>, IBalancer<T>> inner)
    {
        Endpointer = endpointer;
        _builtIn = endpointer as Endpointer<T>;
        _codec = codec;
        _options = options;
        _inner = [Inner(inner, ZoneEndpointer<T>.Part.Local), Inner(inner, ZoneEndpointer<T>.Part.Remote), Inner(inner, ZoneEndpointer<T>.Part.Enabled)];

        // Delegates, not the interface: a generic interface call from shared generic code costs a dictionary lookup.
        _direct = [.. _inner.Select(b => b is IPartBalancer<T> part ? part.PickFrom : (Func<EndpointSet<T>, ulong, T>?)null)];
    }

    /// <summary>Gets the endpointer the split is cut from.</summary>
    internal IEndpointer<T> Endpointer { get; }

    public T Pick()
    {
        var bits = ThreadRandom.NextBits();
        var split = Volatile.Read(ref _split);
        var set = _builtIn is not null ? _builtIn.CurrentSet : Endpointer.Current;
        if (set.Items.Length == 0)
        {
            BalancerGuards.ThrowEmpty(set);
        }

        if (!ReferenceEquals(split.Set, set))
        {
            split = ZoneSplit<T>.Rebuild(ref _split, split, set, _codec, _options);
        }

        // A built-in inner balancer picks from the part handed to it; any other reads it through its endpointer.
        var part = PartOf(split, bits);
        var direct = _direct[part];
        return direct is not null ? direct(split.Parts[part], bits) : _inner[part].Pick();
    }

    public BalancerLease<T> Acquire(IReadOnlyCollection<T>? avoid = null)
    {
        var split = CurrentSplit();
        BalancerGuards.Items(split.Set);
        return _inner[PartOf(split, ThreadRandom.NextBits())].Acquire(avoid);
    }

    /// <summary>Returns the split of the endpointer's current set, cutting it first if it is new.</summary>
    internal ZoneSplit<T> CurrentSplit()
    {
        var split = Volatile.Read(ref _split);
        var set = _builtIn is not null ? _builtIn.CurrentSet : Endpointer.Current;
        return ReferenceEquals(split.Set, set) ? split : ZoneSplit<T>.Rebuild(ref _split, split, set, _codec, _options);
    }

    /// <summary>Returns the part a pick goes to: local or remote by one 32-bit draw, or all enabled when zones do not apply.</summary>
    private static int PartOf(ZoneSplit<T> split, ulong bits)
    {
        if (split.EnabledCount == 0)
        {
            WeightedGuards.ThrowAllDisabled(split.Set.Count);
        }

        if (!split.Zoned)
        {
            return (int)ZoneEndpointer<T>.Part.Enabled;
        }

        return (bits & 0xFFFF_FFFF) < split.LocalBelow ? (int)ZoneEndpointer<T>.Part.Local : (int)ZoneEndpointer<T>.Part.Remote;
    }

    private IBalancer<T> Inner(Func<IEndpointer<T>, IBalancer<T>> inner, ZoneEndpointer<T>.Part part)
        => inner(new ZoneEndpointer<T>(this, part))
            ?? throw new InvalidOperationException($"The inner balancer factory of the zone-aware balancer returned null for the {part.ToString().ToLowerInvariant()} part.");
}
