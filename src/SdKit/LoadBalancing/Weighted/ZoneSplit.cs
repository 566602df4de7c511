using SdKit.Endpoints;

namespace SdKit.LoadBalancing;

/// <summary>
/// One endpoint set cut by zone for the zone-aware balancer: the enabled endpoints of the caller's zone, those of each
/// zone that takes spilled picks, all enabled ones, the inner balancer of each, and the rule's bounds
/// (<see cref="ZoneShares"/>). Built once per set, so a pick is one comparison in the common case.
/// </summary>
/// <typeparam name="T">The endpoint type.</typeparam>
internal sealed class ZoneSplit<T>
{
    public ZoneSplit(EndpointSet<T> set, InstanceTraits traits, ZoneShares shares, EndpointSet<T>[] parts, IBalancer<T>[] balancers)
    {
        Set = set;
        Traits = traits;
        Shares = shares;
        Parts = parts;
        Balancers = balancers;
        Direct = [.. balancers.Select(b => b is IPartBalancer<T> part ? part.PickFrom : (Func<EndpointSet<T>, ulong, T>?)null)];
        LocalBelow = shares.LocalBelow;
        EnabledCount = traits.EnabledCount;
        LocalDirect = Direct[0];
        Uniform = [.. balancers.Select((b, i) => b is RandomBalancer<T> && parts[i].Items.Length > 0 ? parts[i].Items : null)];
        UniformLocal = Uniform[0];
    }

    /// <summary>Gets the endpointer's set this split was cut from (compared by reference on every pick).</summary>
    public EndpointSet<T> Set { get; }

    /// <summary>Gets the decoded weights and zones.</summary>
    public InstanceTraits Traits { get; }

    /// <summary>Gets the rule's shares over this set.</summary>
    public ZoneShares Shares { get; }

    /// <summary>Gets the parts: the caller's zone, then each of <see cref="ZoneShares.SpillZones"/>, then every enabled endpoint.</summary>
    public EndpointSet<T>[] Parts { get; }

    /// <summary>Gets the inner balancer of each part.</summary>
    public IBalancer<T>[] Balancers { get; }

    /// <summary>
    /// Gets each part's built-in pick from a handed set, <see langword="null"/> for a balancer that is not built in.
    /// Delegates, not the interface: a generic interface call from shared generic code costs a dictionary lookup.
    /// </summary>
    public Func<EndpointSet<T>, ulong, T>?[] Direct { get; }

    /// <summary>Gets the local part's built-in pick (<see cref="Direct"/>[0]), one load nearer the pick.</summary>
    public Func<EndpointSet<T>, ulong, T>? LocalDirect { get; }

    /// <summary>
    /// Gets the local part's endpoints when its inner balancer is the built-in uniform random one, whose pick is then
    /// made inline (the high half of the draw, mapped as <see cref="ThreadRandom.Next"/> maps it) instead of through a
    /// delegate: the common zone-aware pick is then one draw, one comparison and one array read.
    /// </summary>
    public T[]? UniformLocal { get; }

    /// <summary>Gets each part's endpoints when its inner balancer is the built-in uniform random one (see <see cref="UniformLocal"/>), else <see langword="null"/>.</summary>
    public T[]?[] Uniform { get; }

    /// <summary>Gets <see cref="ZoneShares.LocalBelow"/>, one load nearer the pick.</summary>
    public ulong LocalBelow { get; }

    /// <summary>Gets the number of enabled instances.</summary>
    public int EnabledCount { get; }

    /// <summary>Gets a value indicating whether zone awareness applies (enough enabled instances).</summary>
    public bool Zoned => Shares.Zoned;

    /// <summary>Gets the share of picks that stays local, in [0, 1] (for tests and docs).</summary>
    public double LocalShare => Shares.LocalShare;

    /// <summary>Gets the enabled endpoints of the caller's zone.</summary>
    public EndpointSet<T> Local => Parts[0];

    /// <summary>Gets every enabled endpoint.</summary>
    public EndpointSet<T> Enabled => Parts[^1];

    /// <summary>Returns the part of a draw that does not stay local (<see cref="LocalBelow"/> checked already), or throws when nothing is enabled.</summary>
    public int PartOfSpill(ulong bits)
    {
        if (EnabledCount == 0)
        {
            WeightedGuards.ThrowAllDisabled(Set.Count);
        }

        var part = Shares.Choose(bits);
        return part < 0 ? Parts.Length - 1 : part;
    }

    /// <summary>Returns the part a draw goes to.</summary>
    public int PartOf(ulong bits) => (bits & 0xFFFF_FFFF) < LocalBelow ? 0 : PartOfSpill(bits);

    /// <summary>Returns the set of one part, by what it is: the caller's zone, all enabled, or another zone (all enabled when that zone takes no spill now).</summary>
    public EndpointSet<T> PartFor(ZoneEndpointer<T>.Part part, string? zone)
    {
        switch (part)
        {
            case ZoneEndpointer<T>.Part.Local:
                return Parts[0];
            case ZoneEndpointer<T>.Part.Enabled:
                return Parts[^1];
            default:
                var spill = Shares.SpillZones;
                for (var i = 0; i < spill.Length; i++)
                {
                    if (string.Equals(spill[i], zone, StringComparison.Ordinal))
                    {
                        return Parts[i + 1];
                    }
                }

                return Parts[^1];
        }
    }
}
