namespace SdKit.Outliers;

/// <summary>
/// How <see cref="OutlierEjection"/> decides that an instance is failing and for how long it leaves it out (the model
/// of Envoy's outlier detection: its consecutive-failure detector, and, when <see cref="FailurePercentageThreshold"/>
/// is set, its failure-percentage detector beside it).
/// </summary>
public sealed class OutlierOptions
{
    /// <summary>
    /// Gets or sets the consecutive failed calls that eject an instance. Default 5 (Envoy's consecutive_5xx). To use
    /// only the failure-percentage detector, set <see cref="int.MaxValue"/>.
    /// </summary>
    public int ConsecutiveFailures { get; set; } = 5;

    /// <summary>
    /// Gets or sets the failure percentage, above 0 and at most 100, at or above which an instance is ejected, counted
    /// over the last <see cref="FailurePercentageInterval"/> once it has had <see cref="FailurePercentageMinimumRequests"/>
    /// calls in it; <see langword="null"/> (the default) turns this detector off, as Envoy's
    /// enforcing_failure_percentage does by default. Envoy's failure_percentage_threshold is 85.
    /// </summary>
    public double? FailurePercentageThreshold { get; set; }

    /// <summary>
    /// Gets or sets the fewest calls an instance must have had within <see cref="FailurePercentageInterval"/> before its
    /// failure percentage counts: below it, a few unlucky calls would decide. Default 50 (Envoy's
    /// failure_percentage_request_volume).
    /// </summary>
    public int FailurePercentageMinimumRequests { get; set; } = 50;

    /// <summary>
    /// Gets or sets the sliding interval the failure percentage is counted over (in ten buckets, so the oldest tenth
    /// leaves at once). Default 10 s (Envoy's interval).
    /// </summary>
    public TimeSpan FailurePercentageInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Gets or sets the first ejection time; the n-th ejection of the same instance lasts n times this, up to
    /// <see cref="MaxEjectionTime"/>. Default 30 s (Envoy's base_ejection_time, Curator's DownInstancePolicy timeout).
    /// </summary>
    public TimeSpan BaseEjectionTime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets the longest ejection. An instance that stays in for this long after its return starts again at
    /// one <see cref="BaseEjectionTime"/>. Default 300 s (Envoy's max_ejection_time).
    /// </summary>
    public TimeSpan MaxEjectionTime { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>
    /// Gets or sets the largest fraction of the current instances that may be out at once, from 0 to 1 (rounded
    /// down, and never all of them). At the limit a further failing instance stays in and the decision is counted
    /// with outcome <c>limit</c>. Default 0.5.
    /// </summary>
    public double MaxEjectedFraction { get; set; } = 0.5;

    /// <summary>
    /// Gets or sets which errors count as failures; <see langword="null"/> counts every error except a cancellation.
    /// To count a response as failed, have the endpoint throw for it and return <see langword="true"/> here.
    /// </summary>
    public Func<Exception, bool>? IsFailure { get; set; }

    /// <summary>Gets or sets the clock of ejection times (a fake one in tests). Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Checks every option; called by <see cref="OutlierEjection.Create{T}"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it and its value.</exception>
    /// <exception cref="ArgumentNullException"><see cref="TimeProvider"/> is <see langword="null"/>.</exception>
    public void Validate()
    {
        if (ConsecutiveFailures < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ConsecutiveFailures), ConsecutiveFailures, $"OutlierOptions.ConsecutiveFailures must be at least 1, but was {ConsecutiveFailures}.");
        }

        if (BaseEjectionTime <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(BaseEjectionTime), BaseEjectionTime, $"OutlierOptions.BaseEjectionTime must be positive, but was {BaseEjectionTime}.");
        }

        if (MaxEjectionTime < BaseEjectionTime)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxEjectionTime), MaxEjectionTime, $"OutlierOptions.MaxEjectionTime must be at least BaseEjectionTime ({BaseEjectionTime}), but was {MaxEjectionTime}.");
        }

        if (double.IsNaN(MaxEjectedFraction) || MaxEjectedFraction < 0 || MaxEjectedFraction > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxEjectedFraction), MaxEjectedFraction, $"OutlierOptions.MaxEjectedFraction must be between 0 and 1, but was {MaxEjectedFraction}.");
        }

        if (FailurePercentageThreshold is { } threshold && (double.IsNaN(threshold) || threshold <= 0 || threshold > 100))
        {
            throw new ArgumentOutOfRangeException(nameof(FailurePercentageThreshold), threshold, $"OutlierOptions.FailurePercentageThreshold must be above 0 and at most 100 (a percentage), or null to turn the detector off, but was {threshold}.");
        }

        if (FailurePercentageMinimumRequests < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(FailurePercentageMinimumRequests), FailurePercentageMinimumRequests, $"OutlierOptions.FailurePercentageMinimumRequests must be at least 1, but was {FailurePercentageMinimumRequests}.");
        }

        if (FailurePercentageInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(FailurePercentageInterval), FailurePercentageInterval, $"OutlierOptions.FailurePercentageInterval must be positive, but was {FailurePercentageInterval}.");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
    }

    internal OutlierOptions Clone() => (OutlierOptions)MemberwiseClone();
}
