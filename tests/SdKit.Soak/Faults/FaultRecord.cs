namespace SdKit.Soak.Faults;

/// <summary>One injected fault: what, on which target, when it began and settled, and how long the watchers took.</summary>
internal sealed class FaultRecord
{
    public required int Number { get; init; }

    public required FaultKind Kind { get; init; }

    public string Target { get; set; } = string.Empty;

    public TimeSpan Hold { get; set; }

    public DateTime StartedUtc { get; set; }

    public DateTime SettledUtc { get; set; }

    /// <summary>Gets or sets the time from settling until every watcher and the registry matched and stayed so; null if never.</summary>
    public TimeSpan? Convergence { get; set; }

    /// <summary>Gets or sets how long, while the fault was held, at least one watcher disagreed with the expectation.</summary>
    public TimeSpan WrongDuringFault { get; set; }

    /// <summary>Gets or sets the convergence time as first measured from settling, before discounting a host stall.</summary>
    public TimeSpan? RawConvergence { get; set; }

    /// <summary>Gets or sets the longest stall of this process between settling and convergence (see <see cref="Checking.StallDetector"/>).</summary>
    public TimeSpan HostStall { get; set; }

    public string? Failure { get; set; }

    /// <summary>Gets or sets entries wanted but missing from the registry when the fault gave up converging.</summary>
    public int LostRegistrations { get; set; }
}
