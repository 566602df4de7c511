using System.Collections.Immutable;
using System.Runtime.InteropServices;
using SdKit.Instances;

namespace SdKit.Endpoints;

/// <content>Applying a known change (the instances that joined and left) to the set, without visiting the rest.</content>
public sealed partial class Endpointer<T>
{
    /// <summary>
    /// Applies <paramref name="joined"/> and <paramref name="left"/> (sorted, one entry per copy) to
    /// <paramref name="previous"/>, which holds one endpoint per distinct instance of the event they lead from;
    /// <paramref name="instances"/> is the new event's whole set. Gives the same set as <see cref="Merge"/> would,
    /// with a binary search per changed instance and one copy of the arrays instead of a comparison per instance.
    /// Returns <paramref name="previous"/> itself when nothing changed.
    /// </summary>
    internal EndpointSet<T> ApplyChanges(EndpointSet<T> previous, ImmutableArray<string> instances, ImmutableArray<string> joined, ImmutableArray<string> left, out List<IAsyncDisposable?>? removed)
    {
        removed = null;
        var names = previous.InstanceArray;
        var all = instances.AsSpan();

        // Positions that go, ascending: an instance goes when its last copy left.
        var removeAt = new List<int>(left.Length);
        foreach (var instance in left)
        {
            var at = SortedStrings.LowerBound(names, instance);
            if (at == names.Length || !string.Equals(names[at], instance, StringComparison.Ordinal) || (removeAt.Count > 0 && removeAt[^1] == at) || SortedStrings.Contains(all, instance))
            {
                continue;
            }

            removeAt.Add(at);
            if (previous.Closers?[at] is { } closer)
            {
                (removed ??= []).Add(closer);
            }
        }

        // New endpoints, ascending by where they go: an instance whose string already has one (a second copy) gets none.
        var inserts = new List<(int At, string Name, T Endpoint, IAsyncDisposable? Closer)>(joined.Length);
        var anyCloser = previous.Closers is not null;
        string? last = null;
        foreach (var instance in joined)
        {
            if (last is not null && string.Equals(last, instance, StringComparison.Ordinal))
            {
                continue;
            }

            last = instance;
            var at = SortedStrings.LowerBound(names, instance);
            if ((at < names.Length && string.Equals(names[at], instance, StringComparison.Ordinal)) || !TryCreate(instance, out var endpoint, out var closer))
            {
                continue;
            }

            inserts.Add((at, instance, endpoint, closer));
            anyCloser |= closer is not null;
        }

        if (removeAt.Count == 0 && inserts.Count == 0)
        {
            return previous;
        }

        var count = names.Length - removeAt.Count + inserts.Count;
        var items = new T[count];
        var closers = anyCloser ? new IAsyncDisposable?[count] : null;

        // With every instance distinct and made, the names are the event's own array: no copy of it.
        var shareNames = count == instances.Length;
        var nextNames = shareNames ? ImmutableCollectionsMarshal.AsArray(instances)! : new string[count];
        int source = 0, target = 0, removal = 0;
        foreach (var (at, name, endpoint, closer) in inserts)
        {
            CopyUpTo(at);
            items[target] = endpoint;
            if (!shareNames)
            {
                nextNames[target] = name;
            }

            if (closers is not null)
            {
                closers[target] = closer;
            }

            target++;
        }

        CopyUpTo(names.Length);
        return EndpointSet<T>.Create(items, nextNames, closers);

        void CopyUpTo(int end)
        {
            while (removal < removeAt.Count && removeAt[removal] < end)
            {
                CopyRun(removeAt[removal] - source);
                source++;
                removal++;
            }

            CopyRun(end - source);
        }

        void CopyRun(int length)
        {
            Array.Copy(previous.Items, source, items, target, length);
            if (!shareNames)
            {
                Array.Copy(names, source, nextNames, target, length);
            }

            if (previous.Closers is not null)
            {
                Array.Copy(previous.Closers, source, closers!, target, length);
            }

            source += length;
            target += length;
        }
    }
}
