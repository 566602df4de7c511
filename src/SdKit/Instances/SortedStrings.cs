namespace SdKit.Instances;

/// <summary>Searches in ordinally sorted instance strings, as events, snapshots and endpoint sets keep them.</summary>
internal static class SortedStrings
{
    /// <summary>Returns the first position whose string is not less than <paramref name="value"/> (the length when there is none).</summary>
    public static int LowerBound(ReadOnlySpan<string> sorted, string value)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            var middle = (int)((uint)(low + high) >> 1);
            if (string.CompareOrdinal(sorted[middle], value) < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    /// <summary>Returns whether <paramref name="sorted"/> holds <paramref name="value"/>.</summary>
    public static bool Contains(ReadOnlySpan<string> sorted, string value)
    {
        var at = LowerBound(sorted, value);
        return at < sorted.Length && string.Equals(sorted[at], value, StringComparison.Ordinal);
    }
}
