using SdKit.Instances;

namespace SdKit.Endpoints;

/// <content>Applying events: the merge of sorted instance lists and the error policy.</content>
public sealed partial class Endpointer<T>
{
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
        var next = Merge(previous.Error is null ? previous : EndpointSet<T>.Empty, instanceEvent.Instances.AsSpan(), out var removed);
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
    /// <paramref name="previous"/> itself when nothing changed. Linear in the set size, no hashing.
    /// </summary>
    internal EndpointSet<T> Merge(EndpointSet<T> previous, ReadOnlySpan<string> instances, out List<IAsyncDisposable?>? removed)
    {
        removed = null;
        var oldInstances = previous.InstanceArray;
        var oldItems = previous.Items;
        var oldClosers = previous.Closers;
        var endpoints = new T[instances.Length];
        var names = new string[instances.Length];
        var closers = new IAsyncDisposable?[instances.Length];
        var count = 0;
        var reused = 0;
        var i = 0;
        string? last = null;
        foreach (var instance in instances)
        {
            if (last is not null && string.Equals(last, instance, StringComparison.Ordinal))
            {
                continue;
            }

            last = instance;
            var order = 1;
            while (i < oldInstances.Length && (order = string.CompareOrdinal(oldInstances[i], instance)) < 0)
            {
                (removed ??= []).Add(oldClosers[i]);
                i++;
            }

            if (i < oldInstances.Length && order == 0)
            {
                endpoints[count] = oldItems[i];
                names[count] = oldInstances[i];
                closers[count] = oldClosers[i];
                count++;
                reused++;
                i++;
            }
            else if (TryCreate(instance, out var endpoint, out var closer))
            {
                endpoints[count] = endpoint;
                names[count] = instance;
                closers[count] = closer;
                count++;
            }
        }

        for (; i < oldInstances.Length; i++)
        {
            (removed ??= []).Add(oldClosers[i]);
        }

        if (reused == oldInstances.Length && count == reused)
        {
            return previous;
        }

        if (count < instances.Length)
        {
            Array.Resize(ref endpoints, count);
            Array.Resize(ref names, count);
            Array.Resize(ref closers, count);
        }

        return EndpointSet<T>.Create(endpoints, names, closers);
    }

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
            endpoint = default!;
            closer = null;
            return false;
        }
    }
}
