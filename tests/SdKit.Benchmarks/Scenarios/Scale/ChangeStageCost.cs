using System.Diagnostics;
using SdKit.Client;
using SdKit.Endpoints;
using SdKit.Instances;

namespace SdKit.Benchmarks.Scenarios.Scale;

/// <summary>
/// The CPU cost, in the runner's process, of one change (one instance added) in a set of N at each stage of the
/// pipeline, by the path that hands on the whole set and by the path that hands on the change: the watch's ordered
/// set, the Instancer's event and its equality check, the Endpointer's set. Best of several tries, so a shared
/// machine inflates it less than the end-to-end figures.
/// </summary>
internal static class ChangeStageCost
{
    private const int Tries = 7;

    /// <summary>Returns the figures as JSON fields, in milliseconds and bytes allocated per change.</summary>
    public static IReadOnlyDictionary<string, object> Measure(int size)
    {
        var all = Enumerable.Range(0, size).Select(ScaleBackend.Instance).Order(StringComparer.Ordinal).ToList();
        var extra = ScaleBackend.Instance(size + 1);
        var figures = new Dictionary<string, object>();

        // The whole set: the ordered list copied out (as the watch did), the event's copy and order check, a full merge.
        var list = new List<string>(all);
        var fullEndpointer = new Endpointer<string>(new FixedInstancer(), i => (i, null));
        var fullPrevious = new InstanceEvent(list.ToList());
        fullEndpointer.Apply(fullPrevious);
        Stages(figures, "full", () =>
        {
            var at = list.BinarySearch(extra, StringComparer.Ordinal);
            list.Insert(~at, extra);
            IReadOnlyList<string> snapshot = [.. list];
            list.RemoveAt(~at);
            return snapshot;
        }, snapshot => new InstanceEvent((IReadOnlyList<string>)snapshot), fullPrevious, fullEndpointer);

        // The change: a snapshot made from the last one, an event that knows its change, the change applied.
        var baseSnapshot = InstanceSnapshot.Create(all);
        var knownEndpointer = new Endpointer<string>(new FixedInstancer(), i => (i, null));
        var knownPrevious = new InstanceEvent(baseSnapshot);
        knownEndpointer.Apply(knownPrevious);
        Stages(figures, "known", () => baseSnapshot.Apply([extra], []), snapshot => new InstanceEvent((InstanceSnapshot)snapshot), knownPrevious, knownEndpointer);
        return figures;
    }

    private static void Stages(Dictionary<string, object> figures, string path, Func<object> watch, Func<object, InstanceEvent> instancer, InstanceEvent previous, Endpointer<string> endpointer)
    {
        double watchMs = double.MaxValue, eventMs = double.MaxValue, endpointerMs = double.MaxValue;
        long allocated = long.MaxValue;
        for (var i = 0; i < Tries; i++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var started = Stopwatch.GetTimestamp();
            var snapshot = watch();
            var watched = Stopwatch.GetTimestamp();
            var next = instancer(snapshot);
            _ = next.Equals(previous);
            var evented = Stopwatch.GetTimestamp();
            endpointer.Apply(next);
            var applied = Stopwatch.GetTimestamp();
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
            watchMs = Math.Min(watchMs, Stopwatch.GetElapsedTime(started, watched).TotalMilliseconds);
            eventMs = Math.Min(eventMs, Stopwatch.GetElapsedTime(watched, evented).TotalMilliseconds);
            endpointerMs = Math.Min(endpointerMs, Stopwatch.GetElapsedTime(evented, applied).TotalMilliseconds);

            // Back to the set of N for the next try (not timed).
            endpointer.Apply(previous);
        }

        figures[$"cpu_{path}_watch_ms"] = ScenarioFigures.Round(watchMs);
        figures[$"cpu_{path}_event_ms"] = ScenarioFigures.Round(eventMs);
        figures[$"cpu_{path}_endpointer_ms"] = ScenarioFigures.Round(endpointerMs);
        figures[$"cpu_{path}_total_ms"] = ScenarioFigures.Round(watchMs + eventMs + endpointerMs);
        figures[$"cpu_{path}_allocated_bytes"] = allocated;
    }
}
