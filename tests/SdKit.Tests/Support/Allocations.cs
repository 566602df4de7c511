using System.Runtime.CompilerServices;

namespace SdKit.Tests.Support;

/// <summary>Counts managed allocations of a piece of code on the current thread.</summary>
internal static class Allocations
{
    /// <summary>
    /// Runs <paramref name="action"/> once to warm it up (first calls JIT, tier up and initialize thread statics),
    /// then again, and returns the bytes the second run allocated.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static long Measure(Action action)
    {
        action();
        var before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
