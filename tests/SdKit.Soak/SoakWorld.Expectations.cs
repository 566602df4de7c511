using System.Collections.Immutable;

namespace SdKit.Soak;

/// <content>The invariant: what every watcher and the registry should show, and where they differ.</content>
internal sealed partial class SoakWorld
{
    /// <summary>Returns, per service path, the sorted instances that should be registered right now.</summary>
    public Dictionary<string, ImmutableArray<string>> Expected()
    {
        var wanted = ServicePaths.ToDictionary(p => p, _ => new List<string>(), StringComparer.Ordinal);
        foreach (var registration in Registrations.Where(r => r.Wanted))
        {
            wanted[registration.Entry.ServicePath].Add(registration.Entry.Instance);
        }

        foreach (var registrant in Registrants.Where(r => r.Up))
        {
            foreach (var entry in registrant.Entries)
            {
                wanted[entry.ServicePath].Add(entry.Instance);
            }
        }

        return wanted.ToDictionary(p => p.Key, p => p.Value.ToImmutableArray().Sort(StringComparer.Ordinal), StringComparer.Ordinal);
    }

    /// <summary>
    /// Returns null when every watcher's instancer (as a multiset, without an error) and endpointer equal the expected
    /// instances of its path; otherwise the first difference.
    /// </summary>
    public string? WatcherMismatch(Dictionary<string, ImmutableArray<string>> expected)
    {
        foreach (var watcher in Watchers)
        {
            var want = expected[watcher.ServicePath];
            var seen = watcher.Instancer.Current;
            if (seen.Error is not null || !seen.Instances.SequenceEqual(want, StringComparer.Ordinal))
            {
                return $"watcher{watcher.Index} {watcher.ServicePath} via {watcher.Client.Name}: instancer {seen} expected {Show(want)}";
            }

            var endpoints = watcher.Endpointer.Current.Instances;
            if (!endpoints.SequenceEqual(want, StringComparer.Ordinal))
            {
                return $"watcher{watcher.Index} {watcher.ServicePath} via {watcher.Client.Name}: endpointer {Show(endpoints)} expected {Show(want)}";
            }
        }

        return null;
    }

    /// <summary>
    /// Reads the registry through the verifier client. Returns null when it equals the expectation; otherwise the
    /// first difference and how many wanted entries are missing (or null if the registry could not be read).
    /// </summary>
    public async Task<(string? Difference, int? Missing)> RegistryMismatchAsync(Dictionary<string, ImmutableArray<string>> expected, CancellationToken cancellationToken)
    {
        string? difference = null;
        var missing = 0;
        foreach (var path in ServicePaths)
        {
            IReadOnlyList<string> listed;
            try
            {
                listed = await Verifier.ListAsync(path, cancellationToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A registry that cannot be read now (even within the caller's deadline) is "unknown", not a harness failure.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                return ($"verifier could not list {path}: {ex.GetType().Name}: {ex.Message}", null);
            }

            var sorted = listed.Order(StringComparer.Ordinal).ToImmutableArray();
            var want = expected[path];
            if (!sorted.SequenceEqual(want, StringComparer.Ordinal))
            {
                difference ??= $"registry {path}: {Show(sorted)} expected {Show(want)}";
                missing += want.Except(sorted, StringComparer.Ordinal).Count();
            }
        }

        return (difference, missing);
    }

    /// <summary>Returns the watchers whose endpointer holds open endpoints other than its current ones (leaked closers).</summary>
    public IEnumerable<string> EndpointLeaks()
        => Watchers.Where(w => w.OpenEndpoints != w.Endpointer.Current.Count)
            .Select(w => $"watcher{w.Index}: {w.OpenEndpoints} endpoints open, {w.Endpointer.Current.Count} current");

    private static string Show(IEnumerable<string> instances) => "[" + string.Join(", ", instances) + "]";
}
