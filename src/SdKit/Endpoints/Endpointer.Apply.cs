using SdKit.Instances;

namespace SdKit.Endpoints;

/// <content>Applying events: the merge of sorted instance lists and the error policy.</content>
public sealed partial class Endpointer<T>
{
    // Only Apply (under the write lock) reads and writes these three.
    private InstanceEvent? _applied;
    private bool _leftOutByFactory;
    private int _factoryFailures;

    /// <summary>Applies <paramref name="instanceEvent"/> under the write lock (readers never take it).</summary>
    internal void Apply(InstanceEvent instanceEvent)
    {
        lock (_writeGate)
        {
            if (_disposed)
            {
                return;
            }

            if (instanceEvent.Error is null)
            {
                CancelDeadlineLocked();
                ApplyInstancesLocked(instanceEvent);
                return;
            }

            EndpointerLog.InstancerError(_logger, instanceEvent.Instances.Length, instanceEvent.Error);
            if (_options.InvalidateOnError is { } timeout)
            {
                StartDeadlineLocked(instanceEvent.Error, timeout);
            }

            // SdKit's error events carry the last good instances: keep (or, for a late subscriber, build) them.
            if (!_invalidated)
            {
                ApplyInstancesLocked(instanceEvent);
            }
        }
    }

    private void ApplyInstancesLocked(InstanceEvent instanceEvent)
    {
        var previous = _current;
        EndpointSet<T> next;
        List<IAsyncDisposable?>? removed;
        _factoryFailures = 0;

        // An event that knows its change from the one the set was built from costs the change, not the whole set;
        // after a factory failure a full merge gives the left-out instances their retry.
        if (previous.Error is null && !_leftOutByFactory && _applied is { } applied && instanceEvent.TryGetChangesFrom(applied, out var joined, out var left))
        {
            next = ApplyChanges(previous, instanceEvent.Instances, joined, left, out removed);
        }
        else
        {
            next = Merge(previous.Error is null ? previous : EndpointSet<T>.Empty, instanceEvent.Instances.AsSpan(), out removed);
        }

        _leftOutByFactory = _factoryFailures > 0;
        _applied = instanceEvent;
        if (!ReferenceEquals(next, previous))
        {
            Publish(next);
        }

        if (removed is not null)
        {
            _closing.Enqueue(removed);
        }
    }

    /// <summary>
    /// Merges the sorted <paramref name="instances"/> into <paramref name="previous"/>: reuses endpoints of instances
    /// already there, calls the factory for new ones, collects the closers of the ones that left. Returns
    /// <paramref name="previous"/> itself when nothing changed. One linear pass, no hashing; runs of kept endpoints
    /// are copied in bulk, so an update that changes one instance of thousands costs little more than a copy.
    /// </summary>
    internal EndpointSet<T> Merge(EndpointSet<T> previous, ReadOnlySpan<string> instances, out List<IAsyncDisposable?>? removed)
    {
        removed = null;
        var source = new MergeSource(previous.Items, previous.InstanceArray, previous.Closers);
        var target = new MergeTarget(instances.Length);
        var i = 0;
        string? last = null;
        foreach (var instance in instances)
        {
            if (last is not null && ((object)last == instance || string.Equals(last, instance, StringComparison.Ordinal)))
            {
                continue;
            }

            last = instance;
            var order = 1;
            while (i < source.Names.Length && (order = Compare(source.Names[i], instance)) < 0)
            {
                source.Remove(i++, ref removed);
            }

            if (i < source.Names.Length && order == 0)
            {
                target.Keep(in source, i++);
            }
            else if (TryCreate(instance, out var endpoint, out var closer))
            {
                target.Add(in source, endpoint, instance, closer);
            }
        }

        while (i < source.Names.Length)
        {
            source.Remove(i++, ref removed);
        }

        target.Flush(in source);
        return target.Kept == source.Names.Length && target.Count == target.Kept
            ? previous
            : EndpointSet<T>.Create(target.Endpoints(), target.Names(), target.Closers());
    }

    private static int Compare(string a, string b) => (object)a == b ? 0 : string.CompareOrdinal(a, b);

    private bool TryCreate(string instance, out T endpoint, out IAsyncDisposable? closer)
    {
        try
        {
            (endpoint, closer) = _factory(instance);
            return true;
        }
#pragma warning disable CA1031 // A factory failure skips the instance; it is tried again on the next event.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            EndpointerLog.FactoryFailed(_logger, instance, ex);
            _factoryFailures++;
            endpoint = default!;
            closer = null;
            return false;
        }
    }
}
