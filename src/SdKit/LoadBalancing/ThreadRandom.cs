using System.Runtime.CompilerServices;

namespace SdKit.LoadBalancing;

/// <summary>
/// A per-thread xorshift generator: thread-safe without locks or shared writes (go-kit's random balancer shares one
/// generator across goroutines, a data race), and cheaper than <see cref="Random.Shared"/> on the pick path.
/// </summary>
internal static class ThreadRandom
{
    [ThreadStatic]
    private static ulong t_state;

    /// <summary>Returns a number in [0, <paramref name="exclusiveMax"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Next(int exclusiveMax)
    {
        // Lemire's multiply-shift maps 32 random bits onto the range without a division.
        return (int)(((NextBits() >> 32) * (ulong)(uint)exclusiveMax) >> 32);
    }

    /// <summary>Returns 64 random bits (xorshift64: the low bits are as good as the high ones for this use).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong NextBits()
    {
        var x = t_state;
        if (x == 0)
        {
            x = Seed();
        }

        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        t_state = x;
        return x;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ulong Seed() => (ulong)Random.Shared.NextInt64(1, long.MaxValue);
}
