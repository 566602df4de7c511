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
/// one successor exists per table and concurrent rebuilders agree on it. The winner then migrates every old slot:
/// it swaps <see cref="Retired"/> in and adds the value it took out to the instance's new slot.
/// </para>
/// <para>
/// A lease remembers the table and position it entered. Entering and leaving run one loop (<see cref="Add"/>): a slot
/// that still counts takes the change with a compare-and-swap; a retired slot forwards the change through the map to
/// the successor, generation after generation, and drops it where the instance left the set. Every change therefore
/// lands exactly once: either before the migrator's swap (and is moved with the value) or after it (and follows the
/// same path the value took). A lease's leave may reach a slot before the migrated enter does; the count is then
/// briefly negative and settles once the migration adds the value.
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
    /// <summary>
    /// What a migrated slot holds. The largest value, so a pick that reads a table while it is retired (a stale read,
    /// or a migration racing the pick) never prefers that slot; real counts never come near it.
    /// </summary>
    public const int Retired = int.MaxValue;

    private readonly int[]? _fromPrevious;
    private LoadTable? _next;

    private LoadTable(object set, string[] instances, long generation, int[]? fromPrevious)
    {
        Set = set;
        Instances = instances;
        Counts = new int[instances.Length];
        Generation = generation;
        _fromPrevious = fromPrevious;
    }

    /// <summary>Gets the endpoint set these counts belong to (compared by reference on every pick).</summary>
    public object Set { get; }

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
            var seen = Volatile.Read(ref slot);
            if (seen == Retired)
            {
                // The migrator links the successor before it retires any slot, so Next is set here.
                var next = table.Next!;
                position = next._fromPrevious![position];
                if (position < 0)
                {
                    return;
                }

                table = next;
            }
            else if (Interlocked.CompareExchange(ref slot, seen + delta, seen) == seen)
            {
                return;
            }
        }
    }
}
