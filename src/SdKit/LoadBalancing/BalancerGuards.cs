using System.Runtime.CompilerServices;
using SdKit.Endpoints;

namespace SdKit.LoadBalancing;

/// <summary>The checks every balancer makes before picking, with the throws kept out of line.</summary>
internal static class BalancerGuards
{
    /// <summary>Returns the set's endpoints, or throws the endpointer's error or <see cref="NoEndpointsException"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T[] Items<T>(EndpointSet<T> set)
    {
        var items = set.Items;
        if (items.Length == 0)
        {
            ThrowEmpty(set);
        }

        return items;
    }

    /// <summary>Moves from <paramref name="picked"/> to the next index not in <paramref name="avoid"/>, if there is one.</summary>
    public static int Avoiding<T>(T[] items, int picked, IReadOnlyCollection<T>? avoid)
    {
        if (avoid is null || avoid.Count == 0)
        {
            return picked;
        }

        var comparer = EqualityComparer<T>.Default;
        for (var step = 0; step < items.Length; step++)
        {
            var index = (picked + step) % items.Length;
            var candidate = items[index];
            // An array (the ejected endpoints of outlier ejection, a ramping endpoint of slow start) is searched
            // without the enumerator an interface foreach would allocate.
            var tried = avoid is T[] array ? Array.IndexOf(array, candidate) >= 0 : Contains(avoid, candidate, comparer);
            if (!tried)
            {
                return index;
            }
        }

        return picked;
    }

    private static bool Contains<T>(IReadOnlyCollection<T> avoid, T candidate, EqualityComparer<T> comparer)
    {
        foreach (var previous in avoid)
        {
            if (comparer.Equals(previous, candidate))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Throws the set's error, or <see cref="NoEndpointsException"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ThrowEmpty<T>(EndpointSet<T> set)
    {
        set.ThrowIfUnavailable();
        throw new NoEndpointsException();
    }
}
