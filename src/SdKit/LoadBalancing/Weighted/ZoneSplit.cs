using System.Runtime.CompilerServices;
using SdKit.Endpoints;
using SdKit.Instances.Codecs;

namespace SdKit.LoadBalancing;

/// <summary>
/// One endpoint set cut by zone for the zone-aware balancer: the enabled endpoints of the caller's zone, those of
/// every other zone, all enabled ones, and the share of picks that stays local. Built once per set.
/// </summary>
/// <remarks>
/// Capacity is the sum of the enabled instances' weights. With local capacity share <c>u</c> and local caller share
/// <c>l</c>: below <see cref="ZoneAwareOptions.MinClusterSize"/> enabled instances every pick goes to any enabled one;
/// else if <c>u ≥ l</c> every pick stays local; else a fraction <c>u / l</c> stays local and the rest goes to the
/// other zones.
/// </remarks>
/// <typeparam name="T">The endpoint type.</typeparam>
internal sealed class ZoneSplit<T>
{
    /// <summary>2^32: a <see cref="LocalBelow"/> every 32-bit draw is under.</summary>
    internal const ulong Always = 1UL << 32;

    private ZoneSplit(EndpointSet<T> set, InstanceTraits traits, EndpointSet<T> local, EndpointSet<T> remote, EndpointSet<T> enabled, bool zoned, ulong localBelow, double localShare)
    {
        Set = set;
        Traits = traits;
        Local = local;
        Remote = remote;
        Enabled = enabled;
        Zoned = zoned;
        LocalBelow = localBelow;
        LocalShare = localShare;
        Parts = [local, remote, enabled];
        EnabledCount = traits.EnabledCount;
    }

    /// <summary>Gets the endpointer's set this split was cut from (compared by reference on every pick).</summary>
    public EndpointSet<T> Set { get; }

    /// <summary>Gets the decoded weights and zones.</summary>
    public InstanceTraits Traits { get; }

    /// <summary>Gets the enabled endpoints of the caller's zone.</summary>
    public EndpointSet<T> Local { get; }

    /// <summary>Gets the enabled endpoints of every other zone (and of none).</summary>
    public EndpointSet<T> Remote { get; }

    /// <summary>Gets every enabled endpoint.</summary>
    public EndpointSet<T> Enabled { get; }

    /// <summary>Gets the number of enabled instances (<see cref="InstanceTraits.EnabledCount"/>, one load nearer the pick).</summary>
    public int EnabledCount { get; }

    /// <summary>Gets the parts by <see cref="ZoneEndpointer{T}.Part"/>: local, remote, all enabled.</summary>
    public EndpointSet<T>[] Parts { get; }

    /// <summary>Gets a value indicating whether zone awareness applies (enough enabled instances).</summary>
    public bool Zoned { get; }

    /// <summary>Gets the bound a 32-bit random draw must stay under for a pick to stay local: 0 never, <see cref="Always"/> always.</summary>
    public ulong LocalBelow { get; }

    /// <summary>Gets the share of picks that stays local, in [0, 1] (for tests and docs).</summary>
    public double LocalShare { get; }

    /// <summary>Creates the first split of a balancer, for the empty set.</summary>
    public static ZoneSplit<T> First() => new(EndpointSet<T>.Empty, InstanceTraits.Empty, EndpointSet<T>.Empty, EndpointSet<T>.Empty, EndpointSet<T>.Empty, false, 0, 0);

    /// <summary>Cuts <paramref name="set"/> and publishes the split unless another thread replaced <paramref name="seen"/> first.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ZoneSplit<T> Rebuild(ref ZoneSplit<T> field, ZoneSplit<T> seen, EndpointSet<T> set, IInstanceCodec codec, ZoneAwareOptions options)
    {
        var built = Cut(set, InstanceTraits.Decode(set.InstanceArray, codec, seen.Traits), options);
        Interlocked.CompareExchange(ref field, built, seen);
        return built;
    }

    private static ZoneSplit<T> Cut(EndpointSet<T> set, InstanceTraits traits, ZoneAwareOptions options)
    {
        if (set.Count == 0)
        {
            // An error set (or the empty one) stands for every part, so the inner balancers throw what it carries.
            return new ZoneSplit<T>(set, traits, set, set, set, false, 0, 0);
        }

        var items = set.Items;
        var names = set.InstanceArray;
        var weights = traits.Weights;
        var localZone = options.LocalZone;

        // One pass to count (zones are few: a short list, compared by reference first), one to fill exact arrays.
        var zones = new List<string?>(4);
        var localCount = 0;
        long localCapacity = 0;
        for (var i = 0; i < items.Length; i++)
        {
            if (weights[i] == 0)
            {
                continue;
            }

            var zone = traits.Zones[i];
            if (!Contains(zones, zone))
            {
                zones.Add(zone);
            }

            if (string.Equals(zone, localZone, StringComparison.Ordinal))
            {
                localCount++;
                localCapacity += weights[i];
            }
        }

        var enabledCount = traits.EnabledCount;
        var local = new Part(localCount);
        var remote = new Part(enabledCount - localCount);
        var enabled = enabledCount == items.Length ? null : new Part(enabledCount);
        for (var i = 0; i < items.Length; i++)
        {
            if (weights[i] == 0)
            {
                continue;
            }

            enabled?.Add(items[i], names[i]);
            (string.Equals(traits.Zones[i], localZone, StringComparison.Ordinal) ? local : remote).Add(items[i], names[i]);
        }

        var zoned = enabledCount >= options.MinClusterSize && enabledCount > 0;
        var capacityShare = traits.TotalWeight == 0 ? 0 : (double)localCapacity / traits.TotalWeight;
        var callerShare = options.LocalCallerShare ?? (1.0 / Math.Max(1, zones.Count));
        var localShare = capacityShare >= callerShare ? 1.0 : capacityShare / callerShare;
        var localBelow = localShare >= 1.0 ? Always : (ulong)(localShare * Always);

        // With nothing disabled the set itself is the enabled part (its endpoints, its instance strings).
        return new ZoneSplit<T>(set, traits, local.ToSet(), remote.ToSet(), enabled?.ToSet() ?? set, zoned, localBelow, localShare);
    }

    private static bool Contains(List<string?> zones, string? zone)
    {
        foreach (var known in zones)
        {
            if (ReferenceEquals(known, zone) || string.Equals(known, zone, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

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
