namespace SdKit.Cli.Dashboard.Live;

/// <summary>One line of a service's timeline: instances added or removed, or the watch failing and recovering.</summary>
/// <param name="AtMs">When the dashboard saw it, in Unix milliseconds.</param>
/// <param name="Kind"><c>added</c>, <c>removed</c>, <c>error</c> or <c>recovered</c>.</param>
/// <param name="Count">How many instances were added or removed at once.</param>
/// <param name="Instances">The first of them (at most <see cref="ServiceView.NamedPerEntry"/>), sorted.</param>
/// <param name="Message">The error, for <c>error</c>.</param>
internal sealed record TimelineEntry(long AtMs, string Kind, int Count, IReadOnlyList<string> Instances, string? Message);
