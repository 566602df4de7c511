namespace SdKit.LoadBalancing;

/// <content>Building, linking and filling a successor when the endpoint set changes.</content>
internal sealed partial class LoadTable
{
    /// <summary>
    /// Builds a successor for <paramref name="set"/> (all zeros) with the map from this table's positions to its own,
    /// -1 where an instance left. Nothing is shared until <see cref="TryLink"/> succeeds.
    /// </summary>
    public LoadTable Successor(object set, string[] instances)
    {
        // Both lists are sorted: one merge. The endpointer hands kept instances on as the same string objects, so a
        // reference check settles most of them before any string comparison.
        var old = Instances;
        var map = new int[old.Length];
        var i = 0;
        for (var j = 0; j < instances.Length && i < old.Length; j++)
        {
            var name = instances[j];
            while (i < old.Length && !ReferenceEquals(old[i], name) && string.CompareOrdinal(old[i], name) < 0)
            {
                map[i++] = -1;
            }

            if (i < old.Length && (ReferenceEquals(old[i], name) || string.Equals(old[i], name, StringComparison.Ordinal)))
            {
                map[i++] = j;
            }
        }

        for (; i < old.Length; i++)
        {
            map[i] = -1;
        }

        return new LoadTable(set, instances, Generation + 1, map);
    }

    /// <summary>
    /// Makes <paramref name="successor"/> this table's one successor, unless another rebuilder linked one first
    /// (then the caller follows <see cref="Next"/> instead). The winner alone calls <see cref="MigrateTo"/>.
    /// </summary>
    public bool TryLink(LoadTable successor) => Interlocked.CompareExchange(ref _next, successor, null) is null;

    /// <summary>
    /// Moves every count to the successor, which <see cref="TryLink"/> has already linked: a slot that reads 0 is
    /// skipped (an add after the read sees the link and moves itself), any other is swapped for 0 and its value added
    /// to the instance's new slot.
    /// </summary>
    public void MigrateTo(LoadTable successor)
    {
        var counts = Counts;
        var map = successor._fromPrevious!;
        for (var i = 0; i < counts.Length; i++)
        {
            if (Volatile.Read(ref counts[i]) == 0)
            {
                continue;
            }

            var value = Interlocked.Exchange(ref counts[i], 0);
            if (value != 0 && map[i] >= 0)
            {
                // Through Add, not a plain add: the successor may itself be superseded by now.
                Add(successor, map[i], value);
            }
        }

        // A pick that still reads this table now rebuilds, finds the successor and moves on.
        _set = null;
    }
}
