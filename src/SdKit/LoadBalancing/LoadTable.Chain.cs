using System.Runtime.CompilerServices;

namespace SdKit.LoadBalancing;

/// <content>Finding or building the table of a new set, and publishing it, for every balancer that counts calls in flight.</content>
internal sealed partial class LoadTable
{
    /// <summary>
    /// Finds or builds the table of <paramref name="set"/>, starting from <paramref name="table"/>, and makes it the
    /// balancer's <paramref name="current"/> table unless a newer one already is.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static LoadTable Advance(ref LoadTable current, LoadTable table, object set, string[] instances)
    {
        while (true)
        {
            if (ReferenceEquals(table.Set, set))
            {
                Publish(ref current, table);
                return table;
            }

            // Another rebuilder may already have linked a successor (this thread read the newest table a moment ago,
            // or lost the race below): follow it rather than build a second one.
            var next = table.Next;
            if (next is not null)
            {
                table = next;
                continue;
            }

            var successor = table.Successor(set, instances);
            if (table.TryLink(successor))
            {
                // Publish first, so picks move to the new table while the old counts are still being moved over.
                Publish(ref current, successor);
                table.MigrateTo(successor);
                return successor;
            }
        }
    }

    /// <summary>Makes <paramref name="table"/> the current table unless a newer one already is (publication never goes back).</summary>
    private static void Publish(ref LoadTable field, LoadTable table)
    {
        var current = Volatile.Read(ref field);
        while (current.Generation < table.Generation)
        {
            var seen = Interlocked.CompareExchange(ref field, table, current);
            if (ReferenceEquals(seen, current))
            {
                return;
            }

            current = seen;
        }
    }
}
