using System.Runtime.CompilerServices;

namespace SdKit.LoadBalancing;

/// <summary>The checks of the weighted balancers: a set whose every instance is disabled, and avoidance that skips disabled instances.</summary>
internal static class WeightedGuards
{
    /// <summary>Throws when every instance of a non-empty set is disabled.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowAllDisabled(int count)
        => throw new NoEndpointsException($"No endpoints are available: all {count} instances are disabled (enabled = false).");

    /// <summary>
    /// Moves from <paramref name="picked"/> to the next enabled position whose endpoint is not in
    /// <paramref name="avoid"/>, if there is one; else keeps <paramref name="picked"/>.
    /// </summary>
    public static int Avoiding<T>(T[] items, int[] weights, int picked, IReadOnlyCollection<T>? avoid)
    {
        if (avoid is null || avoid.Count == 0)
        {
            return picked;
        }

        var comparer = EqualityComparer<T>.Default;
        for (var step = 0; step < items.Length; step++)
        {
            var index = (picked + step) % items.Length;
            if (weights[index] == 0)
            {
                continue;
            }

            var tried = false;
            foreach (var previous in avoid)
            {
                if (comparer.Equals(previous, items[index]))
                {
                    tried = true;
                    break;
                }
            }

            if (!tried)
            {
                return index;
            }
        }

        return picked;
    }
}
