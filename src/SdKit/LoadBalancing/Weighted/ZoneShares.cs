namespace SdKit.LoadBalancing;

/// <summary>
/// Envoy's zone-aware rule over one set of instances, as plain numbers: the share of picks that stays in the caller's
/// zone and, for what spills, the share each other zone gets. The one place the rule lives: the zone-aware balancer,
/// SdKit's gRPC policy and its YARP policy all compute it here (the transports through <c>InternalsVisibleTo</c>).
/// Computed once per set of instances; <see cref="Choose"/> turns one 32-bit draw into a zone, without allocating.
/// </summary>
/// <remarks>
/// <para>Groups are the distinct zones of the enabled instances (instances with no zone form one group of their own);
/// a group's capacity share <c>c</c> is its enabled weight over the total. The caller's zone has caller share
/// <c>l</c> (<see cref="ZoneAwareOptions.LocalCallerShare"/>, else 1 / the number of groups) and capacity share
/// <c>u</c>; every other group is expected to hold an equal part of the other callers, <c>e = (1 − l) / n</c> over the
/// <c>n</c> other groups.</para>
/// <para>Below <see cref="ZoneAwareOptions.MinClusterSize"/> enabled instances the rule does not apply. Else if
/// <c>u ≥ l</c> every pick stays local. Else <c>u / l</c> of the picks stay local and the rest,
/// <c>1 − u / l</c>, goes to the groups with residual capacity, <c>r = c − e &gt; 0</c>, in proportion to <c>r</c>
/// (Envoy's residual capacity). The residuals sum to at least <c>l − u</c>, so some group always has one.</para>
/// </remarks>
internal sealed class ZoneShares
{
    /// <summary>2^32: a bound every 32-bit draw is under.</summary>
    public const ulong Always = 1UL << 32;

    private ZoneShares(bool zoned, double localShare, string?[] spillZones, double[] spillShares)
    {
        Zoned = zoned;
        LocalShare = localShare;
        SpillZones = spillZones;
        SpillShares = spillShares;
        LocalBelow = !zoned ? 0 : localShare >= 1.0 ? Always : (ulong)(localShare * Always);
        SpillBelow = new ulong[spillZones.Length];
        var cumulative = localShare;
        for (var i = 0; i < spillZones.Length; i++)
        {
            cumulative += spillShares[i];
            SpillBelow[i] = i == spillZones.Length - 1 || cumulative >= 1.0 ? Always : (ulong)(cumulative * Always);
        }
    }

    /// <summary>Gets the shares of a set with nothing enabled: not zoned.</summary>
    public static ZoneShares None { get; } = new(false, 0, [], []);

    /// <summary>Gets a value indicating whether the rule applies (at least <see cref="ZoneAwareOptions.MinClusterSize"/> enabled instances, one at least).</summary>
    public bool Zoned { get; }

    /// <summary>Gets the share of picks that stays in the caller's zone, in [0, 1] (0 when not <see cref="Zoned"/>).</summary>
    public double LocalShare { get; }

    /// <summary>Gets the other zones that take spilled picks (residual capacity above 0), in the order first seen; <see langword="null"/> is the group of instances with no zone.</summary>
    public string?[] SpillZones { get; }

    /// <summary>Gets the share of all picks each of <see cref="SpillZones"/> gets; they sum to 1 − <see cref="LocalShare"/>.</summary>
    public double[] SpillShares { get; }

    /// <summary>Gets the bound a 32-bit draw stays under for the pick to stay local: 0 never (and when not zoned), <see cref="Always"/> always.</summary>
    public ulong LocalBelow { get; }

    /// <summary>Gets the cumulative bounds of <see cref="SpillZones"/> after <see cref="LocalBelow"/>; the last is <see cref="Always"/>.</summary>
    public ulong[] SpillBelow { get; }

    /// <summary>Computes the rule over instances given by position.</summary>
    /// <param name="zones">Each instance's zone (<see langword="null"/> for none).</param>
    /// <param name="weights">Each instance's weight, 0 for a disabled one (left out).</param>
    /// <param name="options">The caller's zone, its caller share and the minimum cluster size (validated already).</param>
    /// <returns>The shares.</returns>
    public static ZoneShares Compute(ReadOnlySpan<string?> zones, ReadOnlySpan<int> weights, ZoneAwareOptions options)
    {
        // Zones are few: a short list, compared by reference first.
        var groups = new List<string?>(4);
        var capacity = new List<long>(4);
        var localZone = options.LocalZone;
        long total = 0;
        long local = 0;
        var enabled = 0;
        var localSeen = false;
        for (var i = 0; i < weights.Length; i++)
        {
            var weight = weights[i];
            if (weight <= 0)
            {
                continue;
            }

            enabled++;
            total += weight;
            var zone = zones[i];
            if (string.Equals(zone, localZone, StringComparison.Ordinal))
            {
                local += weight;
                localSeen = true;
                continue;
            }

            var index = IndexOf(groups, zone);
            if (index < 0)
            {
                groups.Add(zone);
                capacity.Add(weight);
            }
            else
            {
                capacity[index] += weight;
            }
        }

        if (enabled == 0 || enabled < options.MinClusterSize)
        {
            return enabled == 0 ? None : new ZoneShares(false, 0, [], []);
        }

        var groupCount = groups.Count + (localSeen ? 1 : 0);
        var callerShare = options.LocalCallerShare ?? (1.0 / groupCount);
        var localCapacity = (double)local / total;
        if (localCapacity >= callerShare || groups.Count == 0)
        {
            return new ZoneShares(true, 1.0, [], []);
        }

        var localShare = localCapacity / callerShare;
        var expected = (1.0 - callerShare) / groups.Count;
        var residual = new double[groups.Count];
        var residualTotal = 0.0;
        for (var i = 0; i < residual.Length; i++)
        {
            residual[i] = Math.Max(0, ((double)capacity[i] / total) - expected);
            residualTotal += residual[i];
        }

        if (residualTotal <= 0)
        {
            // Only rounding can get here (the residuals sum to at least l − u > 0): spill by capacity instead.
            for (var i = 0; i < residual.Length; i++)
            {
                residual[i] = capacity[i];
                residualTotal += residual[i];
            }
        }

        var spillZones = new List<string?>(groups.Count);
        var spillShares = new List<double>(groups.Count);
        for (var i = 0; i < residual.Length; i++)
        {
            if (residual[i] > 0)
            {
                spillZones.Add(groups[i]);
                spillShares.Add((1.0 - localShare) * residual[i] / residualTotal);
            }
        }

        return new ZoneShares(true, localShare, [.. spillZones], [.. spillShares]);
    }

    /// <summary>
    /// Returns where a pick goes for one draw: 0 for the caller's zone, <c>i + 1</c> for <see cref="SpillZones"/>[i],
    /// -1 when the rule does not apply (pick among every enabled instance).
    /// </summary>
    /// <param name="draw">A uniform 32-bit draw (the low half of <paramref name="draw"/> is used).</param>
    /// <returns>The part.</returns>
    public int Choose(ulong draw)
    {
        var low = draw & 0xFFFF_FFFF;
        if (low < LocalBelow)
        {
            return 0;
        }

        if (!Zoned)
        {
            return -1;
        }

        var bounds = SpillBelow;
        for (var i = 0; i < bounds.Length; i++)
        {
            if (low < bounds[i])
            {
                return i + 1;
            }
        }

        // LocalShare is 1 (no spill zone): LocalBelow is Always, so this is not reached; stay local regardless.
        return 0;
    }

    private static int IndexOf(List<string?> zones, string? zone)
    {
        for (var i = 0; i < zones.Count; i++)
        {
            if (ReferenceEquals(zones[i], zone) || string.Equals(zones[i], zone, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
