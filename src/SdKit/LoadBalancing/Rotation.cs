using System.Runtime.CompilerServices;

namespace SdKit.LoadBalancing;

/// <summary>The round robin's step (non-generic, so shared generic callers call it directly).</summary>
internal static class Rotation
{
    /// <summary>
    /// Advances the shared <paramref name="counter"/> and returns its previous value mod <paramref name="length"/>,
    /// computed with the set's precomputed multiplier instead of a division (see <c>EndpointSet.ModMultiplier</c>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Position(ref int counter, ulong modMultiplier, int length)
    {
        var n = (uint)(Interlocked.Increment(ref counter) - 1);
        return (int)Math.BigMul(modMultiplier * n, (ulong)(uint)length, out _);
    }
}
