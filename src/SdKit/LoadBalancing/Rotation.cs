using System.Runtime.CompilerServices;

namespace SdKit.LoadBalancing;

/// <summary>The round robin's step (non-generic, so shared generic callers call it directly).</summary>
internal static class Rotation
{
    /// <summary>
    /// Advances the shared <paramref name="counter"/> and returns its previous value mod <paramref name="length"/>,
    /// computed with the set's precomputed multiplier instead of a division (see <c>EndpointSet.ModMultiplier</c>).
    /// </summary>
    /// <remarks>
    /// The counter is read and written, not atomically incremented. A locked increment makes both cores wait for the
    /// counter's cache line on every pick (8 ns per pick on two threads here, twice the pick budget); a plain write
    /// goes through the store buffer and never stalls the caller. What that gives up is exactness under overlap
    /// only: two picks that run at the same moment may read the same value (both go to the same endpoint), and a
    /// late write may set the counter back, which repeats a stretch of the rotation. Each stretch visits every
    /// endpoint in order, so the spread stays even. Picks ordered one after another (one caller, even when its
    /// continuations hop threads, since awaiting orders memory) always see each other's writes: they rotate strictly.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Position(ref int counter, ulong modMultiplier, int length)
    {
        var n = (uint)Volatile.Read(ref counter);
        Volatile.Write(ref counter, (int)(n + 1));
        return (int)Math.BigMul(modMultiplier * n, (ulong)(uint)length, out _);
    }
}
