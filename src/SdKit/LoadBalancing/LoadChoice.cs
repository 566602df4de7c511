using System.Runtime.CompilerServices;

namespace SdKit.LoadBalancing;

/// <summary>Power of two choices over in-flight counts (non-generic, so shared generic callers call it directly).</summary>
internal static class LoadChoice
{
    /// <summary>Draws two distinct positions and returns the one with fewer calls in flight.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Choose(int[] counts, int length)
    {
        if (length == 1)
        {
            return 0;
        }

        var (first, second) = Positions(ThreadRandom.NextBits(), length);

        // Plain reads: a count a moment old is as good as a fresh one for a choice, and x64 loads are atomic.
        return counts[second] < counts[first] ? second : first;
    }

    /// <summary>
    /// Maps 64 random bits onto two distinct positions in [0, <paramref name="length"/>), for a length of at least 2.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (int First, int Second) Positions(ulong bits, int length)
    {
        // 32 random bits each, mapped by multiply-shift; the second skips the first.
        var first = (int)(((bits >> 32) * (ulong)(uint)length) >> 32);
        var second = (int)(((bits & 0xFFFF_FFFF) * (ulong)(uint)(length - 1)) >> 32);
        if (second >= first)
        {
            second++;
        }

        return (first, second);
    }
}
