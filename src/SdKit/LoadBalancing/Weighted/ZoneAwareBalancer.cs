using System.Runtime.CompilerServices;
using SdKit.Endpoints;
using SdKit.Instances.Codecs;

namespace SdKit.LoadBalancing;

/// <summary>
/// Zone-aware routing over any balancer: keeps picks in the caller's zone while it holds at least the callers' share
/// of the capacity, spills the rest to the zones with residual capacity otherwise (see <see cref="ZoneShares"/> for
/// the rule). The inner balancers, one per part (the caller's zone, each other zone, all enabled), pick within their
/// part; disabled instances are in none.
/// </summary>
/// <typeparam name="T">The endpoint type.</typeparam>
internal sealed class ZoneAwareBalancer<T> : IBalancer<T>
{
    private readonly Endpointer<T>? _builtIn;
    private readonly IInstanceCodec _codec;
    private readonly ZoneAwareOptions _options;
    private readonly Func<IEndpointer<T>, IBalancer<T>> _factory;
    private readonly IBalancer<T> _local;
    private readonly IBalancer<T> _enabled;
    private readonly List<(string? Zone, IBalancer<T> Balancer)> _zones = [];
    private readonly object _gate = new();
    private ZoneSplit<T> _split;

    public ZoneAwareBalancer(IEndpointer<T> endpointer, IInstanceCodec codec, ZoneAwareOptions options, Func<IEndpointer<T>, IBalancer<T>> inner)
    {
        Endpointer = endpointer;
        _builtIn = endpointer as Endpointer<T>;
        _codec = codec;
        _options = options;
        _factory = inner;
        _local = Inner(ZoneEndpointer<T>.Part.Local, null);
        _enabled = Inner(ZoneEndpointer<T>.Part.Enabled, null);
        var empty = EndpointSet<T>.Empty;
        _split = new ZoneSplit<T>(empty, InstanceTraits.Empty, ZoneShares.None, [empty, empty], [_local, _enabled]);
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
            split = Rebuild(split, set);
        }

        // One draw: its low half chooses the part (local in one comparison), its high half is left for the inner pick.
        // A built-in inner balancer picks from the part handed to it; any other reads it through its endpointer.
        if ((bits & 0xFFFF_FFFF) < split.LocalBelow)
        {
            var uniform = split.UniformLocal;
            if (uniform is not null)
            {
                return uniform[(int)(((bits >> 32) * (ulong)(uint)uniform.Length) >> 32)];
            }

            var local = split.LocalDirect;
            return local is not null ? local(split.Parts[0], bits) : split.Balancers[0].Pick();
        }

        var part = split.PartOfSpill(bits);
        var items = split.Uniform[part];
        if (items is not null)
        {
            return items[(int)(((bits >> 32) * (ulong)(uint)items.Length) >> 32)];
        }

        var direct = split.Direct[part];
        return direct is not null ? direct(split.Parts[part], bits) : split.Balancers[part].Pick();
    }

    public BalancerLease<T> Acquire(IReadOnlyCollection<T>? avoid = null)
    {
        var split = CurrentSplit();
        BalancerGuards.Items(split.Set);
        return split.Balancers[split.PartOf(ThreadRandom.NextBits())].Acquire(avoid);
    }

    /// <summary>Returns the split of the endpointer's current set, cutting it first if it is new.</summary>
    internal ZoneSplit<T> CurrentSplit()
    {
        var split = Volatile.Read(ref _split);
        var set = _builtIn is not null ? _builtIn.CurrentSet : Endpointer.Current;
        return ReferenceEquals(split.Set, set) ? split : Rebuild(split, set);
    }

    /// <summary>Cuts <paramref name="set"/> and publishes the split unless another thread replaced <paramref name="seen"/> first.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ZoneSplit<T> Rebuild(ZoneSplit<T> seen, EndpointSet<T> set)
    {
        var built = Cut(set, InstanceTraits.Decode(set.InstanceArray, _codec, seen.Traits));
        Interlocked.CompareExchange(ref _split, built, seen);
        return built;
    }

    private ZoneSplit<T> Cut(EndpointSet<T> set, InstanceTraits traits)
    {
        if (set.Count == 0)
        {
            // An error set (or the empty one) stands for every part, so the inner balancers throw what it carries.
            return new ZoneSplit<T>(set, traits, ZoneShares.None, [set, set], [_local, _enabled]);
        }

        var shares = ZoneShares.Compute(traits.Zones, traits.Weights, _options);
        var spill = shares.SpillZones;
        var items = set.Items;
        var names = set.InstanceArray;
        var weights = traits.Weights;
        var localZone = _options.LocalZone;

        // One pass to count each part, one to fill exact arrays. Part of an instance: 0 local, 1.. a spill zone, -1 neither.
        var partOf = new int[items.Length];
        var counts = new int[spill.Length + 1];
        for (var i = 0; i < items.Length; i++)
        {
            partOf[i] = -1;
            if (weights[i] == 0)
            {
                continue;
            }

            var zone = traits.Zones[i];
            if (string.Equals(zone, localZone, StringComparison.Ordinal))
            {
                partOf[i] = 0;
            }
            else
            {
                var index = Array.FindIndex(spill, z => string.Equals(z, zone, StringComparison.Ordinal));
                partOf[i] = index < 0 ? -1 : index + 1;
            }

            if (partOf[i] >= 0)
            {
                counts[partOf[i]]++;
            }
        }

        var parts = new Part[counts.Length];
        for (var p = 0; p < parts.Length; p++)
        {
            parts[p] = new Part(counts[p]);
        }

        var enabled = traits.EnabledCount == items.Length ? null : new Part(traits.EnabledCount);
        for (var i = 0; i < items.Length; i++)
        {
            if (weights[i] == 0)
            {
                continue;
            }

            enabled?.Add(items[i], names[i]);
            if (partOf[i] >= 0)
            {
                parts[partOf[i]].Add(items[i], names[i]);
            }
        }

        var sets = new EndpointSet<T>[parts.Length + 1];
        var balancers = new IBalancer<T>[parts.Length + 1];
        sets[0] = parts[0].ToSet();
        balancers[0] = _local;
        for (var z = 0; z < spill.Length; z++)
        {
            sets[z + 1] = parts[z + 1].ToSet();
            balancers[z + 1] = ZoneBalancer(spill[z]);
        }

        // With nothing disabled the set itself is the enabled part (its endpoints, its instance strings).
        sets[^1] = enabled?.ToSet() ?? set;
        balancers[^1] = _enabled;
        return new ZoneSplit<T>(set, traits, shares, sets, balancers);
    }

    /// <summary>Returns the inner balancer of one other zone, made the first time the zone takes spilled picks (zones are few; each keeps its state).</summary>
    private IBalancer<T> ZoneBalancer(string? zone)
    {
        lock (_gate)
        {
            foreach (var (known, balancer) in _zones)
            {
                if (string.Equals(known, zone, StringComparison.Ordinal))
                {
                    return balancer;
                }
            }

            var made = Inner(ZoneEndpointer<T>.Part.Zone, zone);
            _zones.Add((zone, made));
            return made;
        }
    }

    private IBalancer<T> Inner(ZoneEndpointer<T>.Part part, string? zone)
        => _factory(new ZoneEndpointer<T>(this, part, zone))
            ?? throw new InvalidOperationException($"The inner balancer factory of the zone-aware balancer returned null for the {(part == ZoneEndpointer<T>.Part.Zone ? $"zone '{zone ?? "(none)"}'" : part.ToString().ToLowerInvariant())} part.");

    /// <summary>The endpoints and instance strings of one part, in the set's order.</summary>
    private sealed class Part(int count)
    {
        private readonly T[] _items = new T[count];
        private readonly string[] _names = new string[count];
        private int _filled;

        public void Add(T item, string name)
        {
            _items[_filled] = item;
            _names[_filled++] = name;
        }

        public EndpointSet<T> ToSet() => EndpointSet<T>.Create(_items, _names, null);
    }
}
