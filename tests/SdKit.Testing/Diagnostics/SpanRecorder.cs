using System.Diagnostics;
using SdKit.Testing.Conformance;

namespace SdKit.Testing.Diagnostics;

/// <summary>
/// Collects the spans that end on the named activity sources through a real <see cref="ActivityListener"/> (every
/// span sampled, with its attributes), and lets a test await one by condition instead of sleeping. Listeners see the
/// spans of every test running in the process: conditions must pick the test's own (by service path, session id).
/// </summary>
public sealed class SpanRecorder : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ObservationRecorder<Activity> _ended = new();

    /// <summary>Starts listening to <paramref name="sources"/>.</summary>
    public SpanRecorder(params string[] sources)
    {
        var names = new HashSet<string>(sources, StringComparer.Ordinal);
        _listener = new ActivityListener
        {
            ShouldListenTo = source => names.Contains(source.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _ended.OnNext,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Gets every span ended so far, in the order they ended.</summary>
    public IReadOnlyList<Activity> Ended => _ended.Values;

    /// <summary>Waits for an ended span named <paramref name="name"/> that satisfies <paramref name="condition"/>.</summary>
    public Task<Activity> WaitForAsync(string name, Func<Activity, bool> condition, TimeSpan? timeout = null)
        => _ended.WaitForAsync(span => span.OperationName == name && condition(span), timeout);

    /// <summary>Returns the ended spans named <paramref name="name"/> that satisfy <paramref name="condition"/>.</summary>
    public IReadOnlyList<Activity> Find(string name, Func<Activity, bool> condition)
        => [.. _ended.Values.Where(span => span.OperationName == name && condition(span))];

    /// <inheritdoc/>
    public void Dispose() => _listener.Dispose();
}

/// <summary>Reading a span's attributes in assertions.</summary>
public static class SpanAttributes
{
    /// <summary>Returns the attribute <paramref name="name"/> as a string, or <see langword="null"/>.</summary>
    public static string? Tag(this Activity span, string name) => span.GetTagItem(name)?.ToString();

    /// <summary>Returns whether the attribute <paramref name="name"/> equals <paramref name="value"/>.</summary>
    public static bool Has(this Activity span, string name, string value) => string.Equals(span.Tag(name), value, StringComparison.Ordinal);
}
