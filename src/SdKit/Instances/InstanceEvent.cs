using System.Collections.Immutable;
using SdKit.Client;

namespace SdKit.Instances;

/// <summary>
/// The complete set of a service's instances at one moment, with the error the instancer last saw, if any.
/// </summary>
/// <remarks>
/// <para>Every event carries the whole set, never only a delta. An event made from an <see cref="InstanceSnapshot"/>
/// also knows what changed since the event made from that snapshot's predecessor: then
/// <see cref="ChangesFrom"/>, the equality check and the <see cref="Endpoints.Endpointer{T}"/> cost the size of the
/// change, not of the set.</para>
/// <para>When <see cref="Error"/> is set the registry could not be
/// read; <see cref="Instances"/> then holds the last set known to be good (go-kit sends none), so a subscriber may
/// keep using them as stale data. Two events are equal when their instances are equal and their errors have the
/// same type and message.</para>
/// </remarks>
public sealed class InstanceEvent : IEquatable<InstanceEvent>
{
    // The snapshot this event wraps, if it was made from one: its identity and its change from its predecessor.
    private readonly InstanceSnapshot? _snapshot;

    /// <summary>
    /// Initializes a new event; the instances are sorted ordinally. An <see cref="InstanceSnapshot"/> is taken as it
    /// is (it is sorted and immutable already), with what it knows about its predecessor.
    /// </summary>
    /// <param name="instances">The instance strings, in any order.</param>
    /// <param name="error">The error the instancer last saw, or <see langword="null"/>.</param>
    public InstanceEvent(IEnumerable<string> instances, Exception? error = null)
    {
        ArgumentNullException.ThrowIfNull(instances);
        Error = error;
        if (instances is InstanceSnapshot snapshot)
        {
            Instances = snapshot.Instances;
            _snapshot = snapshot;
            return;
        }

        var array = instances.ToArray();

        // A backend that keeps its set in order (ZooKeeper's watch does) costs one pass here instead of a sort:
        // sorting 100,000 instances takes about 30 ms, checking them about 0.5 ms.
        if (!IsOrdered(array))
        {
            Array.Sort(array, StringComparer.Ordinal);
        }

        Instances = System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(array);
    }

    private InstanceEvent(ImmutableArray<string> sorted, Exception? error, InstanceSnapshot? snapshot)
    {
        Instances = sorted;
        Error = error;
        _snapshot = snapshot;
    }

    /// <summary>Gets an event with no instances and no error.</summary>
    public static InstanceEvent Empty { get; } = new(ImmutableArray<string>.Empty, null, snapshot: null);

    /// <summary>Gets the instances, sorted ordinally and immutable.</summary>
    public ImmutableArray<string> Instances { get; }

    /// <summary>Gets the error the instancer last saw, or <see langword="null"/> when the set is current.</summary>
    public Exception? Error { get; }

    /// <summary>Returns this event's instances with a new error (or none), without sorting again.</summary>
    /// <param name="error">The error to carry.</param>
    /// <returns>A new event.</returns>
    public InstanceEvent WithError(Exception? error) => new(Instances, error, _snapshot);

    /// <summary>
    /// Returns the instances this event has and <paramref name="previous"/> has not, and the reverse. A string
    /// registered twice counts once per copy. When this event's snapshot was made from <paramref name="previous"/>'s
    /// (see <see cref="InstanceSnapshot.Apply"/>) that is the change recorded then; otherwise one merge pass over the
    /// two sorted sets.
    /// </summary>
    /// <param name="previous">The event this one follows.</param>
    /// <returns>The instances that joined and the instances that left, each sorted ordinally.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="previous"/> is <see langword="null"/>.</exception>
    public (ImmutableArray<string> Joined, ImmutableArray<string> Left) ChangesFrom(InstanceEvent previous)
    {
        ArgumentNullException.ThrowIfNull(previous);
        if (TryGetChangesFrom(previous, out var knownJoined, out var knownLeft))
        {
            return (knownJoined, knownLeft);
        }

        var before = previous.Instances;
        var after = Instances;
        var joined = ImmutableArray.CreateBuilder<string>();
        var left = ImmutableArray.CreateBuilder<string>();
        int i = 0, j = 0;
        while (i < before.Length || j < after.Length)
        {
            var order = i == before.Length ? 1 : j == after.Length ? -1 : string.CompareOrdinal(before[i], after[j]);
            if (order == 0)
            {
                i++;
                j++;
            }
            else if (order < 0)
            {
                left.Add(before[i++]);
            }
            else
            {
                joined.Add(after[j++]);
            }
        }

        return (joined.DrainToImmutable(), left.DrainToImmutable());
    }

    /// <summary>
    /// Gets the change from <paramref name="previous"/> without comparing the sets, when this event's snapshot is
    /// <paramref name="previous"/>'s or was made from it by <see cref="InstanceSnapshot.Apply"/>.
    /// </summary>
    /// <returns>False when the change is not known and only a comparison can tell.</returns>
    internal bool TryGetChangesFrom(InstanceEvent previous, out ImmutableArray<string> joined, out ImmutableArray<string> left)
    {
        if (_snapshot is { } next && previous._snapshot is { } before)
        {
            if (ReferenceEquals(next, before))
            {
                joined = left = ImmutableArray<string>.Empty;
                return true;
            }

            if (next.BaseId == before.Id)
            {
                joined = next.Joined;
                left = next.Left;
                return true;
            }
        }

        joined = left = default;
        return false;
    }

    /// <inheritdoc/>
    public bool Equals(InstanceEvent? other)
    {
        if (other is null)
        {
            return false;
        }

        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (!ErrorsEqual(Error, other.Error))
        {
            return false;
        }

        // A known change (or a known absence of one) settles it without comparing 100,000 strings.
        if (TryGetChangesFrom(other, out var joined, out var left) || other.TryGetChangesFrom(this, out joined, out left))
        {
            return joined.IsEmpty && left.IsEmpty;
        }

        return Instances.AsSpan().SequenceEqual(other.Instances.AsSpan());
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as InstanceEvent);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.Add(Instances.Length);
        foreach (var instance in Instances)
        {
            hash.Add(instance, StringComparer.Ordinal);
        }

        hash.Add(Error?.Message, StringComparer.Ordinal);
        return hash.ToHashCode();
    }

    /// <inheritdoc/>
    public override string ToString()
        => Error is null
            ? $"[{string.Join(", ", Instances)}]"
            : $"[{string.Join(", ", Instances)}] (error: {Error.Message})";

    private static bool IsOrdered(string[] array)
    {
        for (var i = 1; i < array.Length; i++)
        {
            if (string.CompareOrdinal(array[i - 1], array[i]) > 0)
            {
                return false;
            }
        }

        return true;
    }

    private static bool ErrorsEqual(Exception? a, Exception? b)
        => a is null ? b is null : b is not null && a.GetType() == b.GetType() && string.Equals(a.Message, b.Message, StringComparison.Ordinal);
}
