using System.Globalization;

namespace SdKit.Testing.Etcd;

/// <summary>
/// Reads a member's Prometheus metrics, which etcd serves on its client URL at <c>/metrics</c>: what the server itself
/// counts, such as <see cref="WatchStreams"/> (gRPC watch streams open) and <see cref="Watchers"/> (watchers on them).
/// </summary>
public static class EtcdMetrics
{
    /// <summary>The gauge of watch streams the member serves.</summary>
    public const string WatchStreams = "etcd_debugging_mvcc_watch_stream_total";

    /// <summary>The gauge of watchers the member serves, over all streams.</summary>
    public const string Watchers = "etcd_debugging_mvcc_watcher_total";

    /// <summary>Returns the value of the unlabelled metric <paramref name="name"/>; throws when the member does not report it.</summary>
    public static async Task<long> ReadAsync(EtcdMember member, string name)
    {
        ArgumentNullException.ThrowIfNull(member);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var text = await http.GetStringAsync(new Uri(member.ClientUrl + "/metrics")).ConfigureAwait(false);
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(name + " ", StringComparison.Ordinal)
                && double.TryParse(line[(name.Length + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                return (long)value;
            }
        }

        throw new InvalidOperationException($"etcd member {member.Name} reports no metric {name} at {member.ClientUrl}/metrics.");
    }

    /// <summary>
    /// Waits until the member reports <paramref name="expected"/> for <paramref name="name"/>: the server offers no event
    /// for a metric, so it is read again every 50 ms; fails with the last value seen after <paramref name="timeout"/>.
    /// </summary>
    public static async Task WaitForAsync(EtcdMember member, string name, long expected, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long last;
        while ((last = await ReadAsync(member, name).ConfigureAwait(false)) != expected)
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"etcd member {member.Name} reported {name} {last.ToString(CultureInfo.InvariantCulture)}, not {expected.ToString(CultureInfo.InvariantCulture)}, for {timeout.TotalSeconds:0} s.");
            }

            await Task.Delay(50).ConfigureAwait(false);
        }
    }
}
