using System.Runtime.CompilerServices;

namespace SdKit.LoadBalancing;

/// <summary>
/// A weighted draw in constant time (Walker's alias method, built with Vose's exact integer construction): one random
/// position, then that position or its alias by one 32-bit comparison. Built once per endpoint set; a draw is two
/// loads from one array whatever the set's size, where a search of cumulative weights would take log2(n) dependent,
/// mispredicted steps.
/// </summary>
internal sealed class AliasTable
{
    private AliasTable(object? set, InstanceTraits traits, Slot[] slots)
    {
        Set = set;
        Traits = traits;
        Slots = slots;
        Weights = traits.Weights;
        EnabledCount = traits.EnabledCount;
    }

    /// <summary>Gets the endpoint set this table was built for (compared by reference on every pick).</summary>
    public object? Set { get; }

    /// <summary>Gets the decoded weights and zones the table was built from.</summary>
    public InstanceTraits Traits { get; }

    /// <summary>Gets the weights by position (<see cref="InstanceTraits.Weights"/>, one load nearer the pick).</summary>
    public int[] Weights { get; }

    /// <summary>Gets the number of enabled instances (<see cref="InstanceTraits.EnabledCount"/>).</summary>
    public int EnabledCount { get; }

    /// <summary>Gets the slots by position: the threshold below which the position itself is drawn, else its alias.</summary>
    public Slot[] Slots { get; }

    /// <summary>Creates the first table of a balancer, for its empty set.</summary>
    public static AliasTable First(object emptySet) => new(emptySet, InstanceTraits.Empty, []);

    /// <summary>Builds the table of <paramref name="set"/> from its decoded <paramref name="traits"/>.</summary>
    public static AliasTable Build(object set, InstanceTraits traits)
    {
        var weights = traits.Weights;
        var n = weights.Length;
        var slots = new Slot[n];
        var total = traits.TotalWeight;
        if (total == 0)
        {
            return new AliasTable(set, traits, slots);
        }

        // Every slot holds one n-th of the total: scaled[i] = w[i] * n against a slot size of total. A small slot is
        // topped up from a large one, which shrinks by as much; integer arithmetic keeps the draw exact.
        // Two stacks in one array: small ones grow from the front, large ones from the back.
        var scaled = new long[n];
        var stack = new int[n];
        var small = 0;
        var large = n;
        for (var i = 0; i < n; i++)
        {
            scaled[i] = weights[i] * (long)n;
            if (scaled[i] < total)
            {
                stack[small++] = i;
            }
            else
            {
                stack[--large] = i;
            }
        }

        while (small > 0 && large < n)
        {
            var s = stack[--small];
            var l = stack[large++];
            slots[s] = new Slot(ThresholdOf(scaled[s], total), l);
            scaled[l] -= total - scaled[s];
            if (scaled[l] < total)
            {
                stack[small++] = l;
            }
            else
            {
                stack[--large] = l;
            }
        }

        // What is left is full: always itself (with exact integers no small slot is left over, but keep it whole).
        while (large < n)
        {
            var l = stack[large++];
            slots[l] = new Slot(uint.MaxValue, l);
        }

        while (small > 0)
        {
            var s = stack[--small];
            slots[s] = new Slot(uint.MaxValue, s);
        }

        return new AliasTable(set, traits, slots);
    }

    /// <summary>
    /// Builds the table of <paramref name="set"/> from <paramref name="seen"/> (the table a pick found stale) and
    /// publishes it unless another thread already replaced <paramref name="seen"/>; returns it either way.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static AliasTable Rebuild(ref AliasTable field, AliasTable seen, object set, string[] instances, Instances.Codecs.IInstanceCodec codec)
    {
        var built = Build(set, InstanceTraits.Decode(instances, codec, seen.Traits));
        Interlocked.CompareExchange(ref field, built, seen);
        return built;
    }

    /// <summary>Draws a position with probability proportional to its weight, from 64 random bits.</summary>
    /// <remarks>The high 32 bits choose the slot, the low 32 bits the side; a position of weight 0 is never drawn.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Draw(Slot[] slots, ulong bits)
    {
        var position = (int)(((bits >> 32) * (ulong)(uint)slots.Length) >> 32);
        var slot = slots[position];
        return (uint)bits < slot.Threshold ? position : slot.Alias;
    }

    /// <summary>
    /// Weighted power of two choices: two positions drawn by weight from one 64-bit random value (the second from a
    /// multiplicative remix of it), the one with fewer calls in flight per unit of weight returned (the first on a tie).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ChooseLessLoaded(AliasTable table, int[] counts, ulong bits)
    {
        var slots = table.Slots;
        var first = Draw(slots, bits);
        var mixed = bits * 0x9E3779B97F4A7C15;
        var second = Draw(slots, mixed ^ (mixed >> 29));
        var weights = table.Weights;

        // counts[second] / weights[second] < counts[first] / weights[first], without a division.
        return (long)counts[second] * weights[first] < (long)counts[first] * weights[second] ? second : first;
    }

    // A full slot keeps itself for every draw but the one low value 2^32 - 1, and that one goes to its alias, itself.
    private static uint ThresholdOf(long part, long whole) => (uint)(((UInt128)(ulong)part << 32) / (ulong)whole);

    /// <summary>One slot: draws below <see cref="Threshold"/> take the slot's own position, the others <see cref="Alias"/>.</summary>
    internal readonly record struct Slot(uint Threshold, int Alias);
}
