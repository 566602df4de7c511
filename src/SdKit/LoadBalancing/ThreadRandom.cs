using System.Runtime.CompilerServices;

namespace SdKit.LoadBalancing;

/// <summary>
/// A per-thread SplitMix64 generator: thread-safe without locks or shared writes (go-kit's random balancer shares one
/// generator across goroutines, a data race), and cheaper than <see cref="Random.Shared"/> on the pick path.
/// </summary>
/// <remarks>
/// SplitMix64 rather than xorshift because of what a tight pick loop waits for: the state only moves by an addition,
/// so one pick's state is ready a cycle after the last one's, and the mixing multiplications of successive picks run
/// in parallel. xorshift feeds all of its shifts back into the state, a chain of about a dozen cycles per pick.
/// </remarks>
internal static class ThreadRandom
{
    private const ulong Golden = 0x9E3779B97F4A7C15;

    [ThreadStatic]
    private static ulong t_state;

    /// <summary>Returns a number in [0, <paramref name="exclusiveMax"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Next(int exclusiveMax)
    {
        // Lemire's multiply-shift maps 32 random bits onto the range without a division.
        return (int)(((NextBits() >> 32) * (ulong)(uint)exclusiveMax) >> 32);
    }

    /// <summary>Returns 64 random bits; the high and the low halves are both usable.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong NextBits()
    {
        var state = t_state;
        if (state == 0)
        {
            state = Seed();
        }

        state += Golden;
        t_state = state;
        var z = (state ^ (state >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ulong Seed() => (ulong)Random.Shared.NextInt64(1, long.MaxValue);
}
