using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using SdKit.Soak.Backends;
using SdKit.Soak.Checking;
using SdKit.Soak.Faults;

namespace SdKit.Soak.Reporting;

/// <summary>The one-line JSON summary of a run, and the verdict on the invariant.</summary>
internal sealed class SoakSummary
{
    private static readonly JsonSerializerOptions s_json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public required string Backend { get; init; }

    public required int Seed { get; init; }

    public required double Minutes { get; init; }

    public required double SessionOrTtlSeconds { get; init; }

    public required double BoundSeconds { get; init; }

    public required int FaultsTotal { get; init; }

    public required SortedDictionary<string, int> Faults { get; init; }

    public required double? WorstConvergenceSeconds { get; init; }

    public string? WorstFault { get; init; }

    public required double? MedianConvergenceSeconds { get; init; }

    public required int ConvergedOverBound { get; init; }

    public required int NotConverged { get; init; }

    public required int RegistrationsLost { get; init; }

    public required int UnobservedErrors { get; init; }

    public required SortedDictionary<string, int> ErrorLogsByCategory { get; init; }

    public required int EndpointLeaks { get; init; }

    /// <summary>Gets how often this process was not scheduled for a second or more (a loaded host), and the longest time.</summary>
    public required int HostStalls { get; init; }

    public required double LongestHostStallSeconds { get; init; }

    public required double PeakWorkingSetMb { get; init; }

    public required double PeakManagedMb { get; init; }

    public required int PeakThreads { get; init; }

    public required bool ResourcesFlat { get; init; }

    public required string Resources { get; init; }

    public required bool InvariantHeld { get; init; }

    public required IReadOnlyList<string> Violations { get; init; }

    public required string Output { get; init; }

    public static SoakSummary Create(SoakOptions options, BackendProfile profile, IReadOnlyList<FaultRecord> faults, int lostAtEnd, ErrorWatch errors, FileLoggerProvider logs, ResourceMonitor resources, IReadOnlyList<string> leaks, IReadOnlyList<(DateTime EndUtc, TimeSpan Length)> stalls)
    {
        var converged = faults.Where(f => f.Convergence is not null).ToList();
        var worst = converged.MaxBy(f => f.Convergence!.Value);
        var over = converged.Where(f => f.Convergence!.Value > profile.Bound).ToList();
        var notConverged = faults.Where(f => f.Convergence is null).ToList();
        var (flat, reason) = resources.Verdict();
        var violations = new List<string>();
        violations.AddRange(over.Select(f => string.Create(CultureInfo.InvariantCulture, $"fault #{f.Number} {f.Kind} converged in {f.Convergence!.Value.TotalSeconds:0.00} s > bound {profile.Bound.TotalSeconds:0.0} s")));
        violations.AddRange(notConverged.Select(f => $"fault #{f.Number} {f.Kind} did not converge"));
        if (lostAtEnd > 0)
        {
            violations.Add($"{lostAtEnd} registrations missing from the registry at the end");
        }

        violations.AddRange(errors.Unobserved.Select(u => "unobserved: " + u.Split('\n')[0]));
        violations.AddRange(leaks.Select(l => "endpoint leak: " + l));
        if (!flat)
        {
            violations.Add("resources grew: " + reason);
        }

        var sorted = converged.Select(f => f.Convergence!.Value.TotalSeconds).Order().ToList();
        return new SoakSummary
        {
            Backend = options.Backend,
            Seed = options.Seed,
            Minutes = options.Minutes,
            SessionOrTtlSeconds = profile.SessionOrTtl.TotalSeconds,
            BoundSeconds = profile.Bound.TotalSeconds,
            FaultsTotal = faults.Count,
            Faults = new SortedDictionary<string, int>(faults.GroupBy(f => f.Kind.ToString()).ToDictionary(g => g.Key, g => g.Count()), StringComparer.Ordinal),
            WorstConvergenceSeconds = worst is null ? null : Math.Round(worst.Convergence!.Value.TotalSeconds, 2),
            WorstFault = worst is null ? null : $"#{worst.Number} {worst.Kind} {worst.Target}",
            MedianConvergenceSeconds = sorted.Count == 0 ? null : Math.Round(sorted[sorted.Count / 2], 2),
            ConvergedOverBound = over.Count,
            NotConverged = notConverged.Count,
            RegistrationsLost = lostAtEnd,
            UnobservedErrors = errors.Unobserved.Count,
            ErrorLogsByCategory = new SortedDictionary<string, int>(logs.ErrorsByCategory, StringComparer.Ordinal),
            EndpointLeaks = leaks.Count,
            HostStalls = stalls.Count,
            LongestHostStallSeconds = stalls.Count == 0 ? 0 : Math.Round(stalls.Max(s => s.Length.TotalSeconds), 1),
            PeakWorkingSetMb = Math.Round(resources.PeakWorkingSet / 1048576.0, 1),
            PeakManagedMb = Math.Round(resources.PeakManaged / 1048576.0, 1),
            PeakThreads = resources.PeakThreads,
            ResourcesFlat = flat,
            Resources = reason,
            InvariantHeld = violations.Count == 0,
            Violations = violations,
            Output = options.OutputDirectory,
        };
    }

    public string ToJson() => JsonSerializer.Serialize(this, s_json);
}
