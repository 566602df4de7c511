using System.Collections.Immutable;
using SdKit.Cli.Dashboard.Browsing;
using SdKit.Instances;

namespace SdKit.Cli.Dashboard.Live;

/// <summary>
/// What the page shows of one service: its instances joined with their entry details, the timeline of changes and
/// the instance count over time. Updated from the service's instancer events; read by the page's feed.
/// </summary>
internal sealed class ServiceView(string path)
{
    /// <summary>How many instances one timeline line names; a larger change is one line with its count.</summary>
    public const int NamedPerEntry = 10;

    /// <summary>How many timeline lines a service keeps.</summary>
    public const int TimelineLength = 200;

    /// <summary>How far back the instance count history goes.</summary>
    public static readonly TimeSpan HistoryLength = TimeSpan.FromMinutes(15);

    private readonly Lock _lock = new();
    private readonly Queue<TimelineEntry> _timeline = new();
    private readonly List<long[]> _history = [];
    private InstanceEvent _last = InstanceEvent.Empty;
    private IReadOnlyList<InstanceDetail> _rows = [];
    private string? _error;
    private bool _answered;
    private long _changedMs;

    /// <summary>Gets the service path.</summary>
    public string Path { get; } = path;

    /// <summary>Applies the instancer's current event and the entry details read for it.</summary>
    public void Apply(InstanceEvent change, IReadOnlyList<InstanceDetail> details, long nowMs)
    {
        var rows = Join(change.Instances, details, nowMs);
        lock (_lock)
        {
            var (added, removed) = change.ChangesFrom(_last);
            if (added.Length > 0)
            {
                Record(new TimelineEntry(nowMs, "added", added.Length, [.. added.Take(NamedPerEntry)], null));
            }

            if (removed.Length > 0)
            {
                Record(new TimelineEntry(nowMs, "removed", removed.Length, [.. removed.Take(NamedPerEntry)], null));
            }

            var error = change.Error?.Message;
            if (error is not null && !string.Equals(error, _error, StringComparison.Ordinal))
            {
                Record(new TimelineEntry(nowMs, "error", 0, [], error));
            }
            else if (error is null && _error is not null)
            {
                Record(new TimelineEntry(nowMs, "recovered", 0, [], null));
            }

            if (!_answered || _last.Instances.Length != change.Instances.Length)
            {
                _history.Add([nowMs, change.Instances.Length]);
                Trim(nowMs);
            }

            if (added.Length > 0 || removed.Length > 0 || !_answered)
            {
                _changedMs = nowMs;
            }

            _answered = true;
            _last = change;
            _rows = rows;
            _error = error;
        }
    }

    /// <summary>Returns the service as the page receives it.</summary>
    public ServiceState Read()
    {
        lock (_lock)
        {
            return new ServiceState(Path, _last.Instances.Length, _answered, _error, _rows, [.. _timeline.Reverse()], [.. _history], _changedMs);
        }
    }

    /// <summary>
    /// Pairs every instance with an entry carrying that instance string; an instance whose entry was not read (yet)
    /// still gets its row, with the details unknown.
    /// </summary>
    private static List<InstanceDetail> Join(ImmutableArray<string> instances, IReadOnlyList<InstanceDetail> details, long nowMs)
    {
        var byInstance = details.GroupBy(d => d.Instance, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new Queue<InstanceDetail>(g.OrderBy(d => d.Key, StringComparer.Ordinal)), StringComparer.Ordinal);
        var rows = new List<InstanceDetail>(instances.Length);
        foreach (var instance in instances)
        {
            rows.Add(byInstance.TryGetValue(instance, out var entries) && entries.TryDequeue(out var entry)
                ? entry
                : new InstanceDetail(string.Empty, instance, "unknown", null, nowMs));
        }

        return rows;
    }

    private void Record(TimelineEntry entry)
    {
        _timeline.Enqueue(entry);
        while (_timeline.Count > TimelineLength)
        {
            _timeline.Dequeue();
        }
    }

    private void Trim(long nowMs)
    {
        // Keep the last point before the window too: it is the count at the window's start.
        var cutoff = nowMs - (long)HistoryLength.TotalMilliseconds;
        var firstInside = _history.FindIndex(point => point[0] >= cutoff);
        if (firstInside > 1)
        {
            _history.RemoveRange(0, firstInside - 1);
        }
    }
}
