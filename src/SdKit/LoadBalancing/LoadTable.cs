namespace SdKit.LoadBalancing;

/// <summary>
/// The calls in flight on each endpoint of one endpoint set, for the least-outstanding balancer: one <see cref="int"/>
/// per position in one array parallel to the set's endpoints, so a choice between two endpoints is two loads from one
/// array (counter objects cost a reference load and then a field load each, scattered over the heap).
/// </summary>
/// <remarks>
/// <para>
/// Tables form a chain, one per endpoint set the balancer has seen: when the set changes, a successor is built (zeros,
/// plus a map from old positions to new ones) and linked with one compare-and-swap on <see cref="Next"/>, so exactly
/// one successor exists per table and concurrent rebuilders agree on it. The winner then sweeps the old counts over.
/// </para>
/// <para>
/// Every change of a count, an enter, a leave or a migrated value, goes through <see cref="Add"/>: one atomic add to
/// the slot, then a look at <see cref="Next"/>. While there is no successor the change stays, and the migrator, which
/// links the successor before it reads any slot, is bound to see it (both sides are full fences: the add cannot miss
/// the link and the sweep miss the add). Once there is one, the adder cannot know whether the migrator read the slot
/// before its add, so it sweeps the slot itself: swaps in 0 and passes what it took on through the map (or drops it
/// where the instance left the set). A slot's content is only ever moved by such a swap, so every unit moves exactly
/// once, generation after generation; a lease just remembers the table and position it entered.
/// </para>
/// <para>
/// This costs the migrator one plain read per slot and a swap only where calls are in flight (a sentinel that marks
/// each migrated slot would need a locked instruction on every slot: 10,000 of them per change of a large set), and
/// costs enter and leave one atomic add instead of a compare-and-swap loop. A leave that reaches the new slot before
/// its enter was moved makes the count briefly negative; it settles when the value arrives. A pick reads the current
/// table only; one that read a table just superseded sees swept slots as idle, an imprecision of one choice.
/// </para>
/// <para>
/// The ints are not padded to cache lines. Sixteen share a line, so concurrent enters and leaves on neighbouring
/// endpoints contend for it; the counter objects this replaced were allocated side by side too (two or three per
/// line), so this is no worse, and padding would make a 10,000-endpoint table 640 KB, its rebuild and its cache
/// footprint sixteen times larger, for a pick that reads two random slots in any case.
/// </para>
/// </remarks>
internal sealed partial class LoadTable
{
    private readonly int[]? _fromPrevious;
    private LoadTable? _next;
    private object? _set;

    private LoadTable(object set, string[] instances, long generation, int[]? fromPrevious)
    {
        _set = set;
        Instances = instances;
        Counts = new int[instances.Length];
        Generation = generation;
        _fromPrevious = fromPrevious;
    }

    /// <summary>
    /// Gets the endpoint set these counts belong to (compared by reference on every pick), or <see langword="null"/>
    /// once the counts have migrated: a lease that is never completed keeps its table, and should not keep the old
    /// set's endpoints with it.
    /// </summary>
    public object? Set => _set;

    /// <summary>Gets the set's instance strings, by position, for matching the next set's instances.</summary>
    public string[] Instances { get; }

    /// <summary>Gets the calls in flight by position (a plain array: the pick reads it directly).</summary>
    public int[] Counts { get; }

    /// <summary>Gets the table's place in the chain, 0 for the first; a successor's is one more.</summary>
    public long Generation { get; }

    /// <summary>Gets the successor, or <see langword="null"/> while this table is the newest.</summary>
    public LoadTable? Next => Volatile.Read(ref _next);

    /// <summary>Creates the first table of a balancer, for its empty set.</summary>
    public static LoadTable First(object emptySet) => new(emptySet, [], 0, null);

    /// <summary>
    /// Adds <paramref name="delta"/> to the count of the instance at <paramref name="position"/> of
    /// <paramref name="table"/>, or to wherever that count has migrated; drops it when the instance left the set.
    /// </summary>
    public static void Add(LoadTable table, int position, int delta)
    {
        while (true)
        {
            ref var slot = ref table.Counts[position];
            Interlocked.Add(ref slot, delta);
            var next = table.Next;
            if (next is null)
            {
                return;
            }

            // Superseded: the migrator may have read this slot before the add. Take whatever is there now (this add,
            // or more, or nothing if another sweep was first) and move it on.
            delta = Interlocked.Exchange(ref slot, 0);
            if (delta == 0)
            {
                return;
            }

            position = next._fromPrevious![position];
            if (position < 0)
            {
                return;
            }

            table = next;
        }
    }
}
