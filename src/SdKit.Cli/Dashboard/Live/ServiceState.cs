using SdKit.Cli.Dashboard.Browsing;

namespace SdKit.Cli.Dashboard.Live;

/// <summary>One service as the page receives it, whole: every update replaces what the page had.</summary>
/// <param name="Path">The service path.</param>
/// <param name="Count">How many instances the instancer reports.</param>
/// <param name="Answered">Whether the registry has answered for this service yet.</param>
/// <param name="Error">The instancer's current error, if the set is stale.</param>
/// <param name="Instances">The instances with their entry details, sorted by instance.</param>
/// <param name="Timeline">The newest timeline lines first.</param>
/// <param name="History">The instance count over time: pairs of Unix milliseconds and count.</param>
/// <param name="ChangedMs">When the instance set last changed, in Unix milliseconds.</param>
internal sealed record ServiceState(
    string Path,
    int Count,
    bool Answered,
    string? Error,
    IReadOnlyList<InstanceDetail> Instances,
    IReadOnlyList<TimelineEntry> Timeline,
    IReadOnlyList<long[]> History,
    long ChangedMs);
