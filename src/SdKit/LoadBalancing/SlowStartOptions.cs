namespace SdKit.LoadBalancing;

/// <summary>
/// Options of <see cref="SlowStart.Create{T}"/>, with the meaning of Envoy's <c>slow_start_config</c>: over
/// <see cref="Window"/> a newly added instance's weight factor grows from <see cref="MinWeightPercent"/> to 1 along
/// (time since it joined / window) ^ (1 / <see cref="Aggression"/>).
/// </summary>
public sealed class SlowStartOptions
{
    /// <summary>
    /// Gets or sets how long a newly added instance ramps up (Envoy's slow_start_window). Default 30 s. An instance
    /// present when the layer first sees a non-empty set is not ramped.
    /// </summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets the ramp's shape: 1 is linear; above 1 the share rises fast early and slowly later, below 1 the
    /// other way round. Must be positive. Default 1 (Envoy's aggression).
    /// </summary>
    public double Aggression { get; set; } = 1;

    /// <summary>
    /// Gets or sets the smallest weight factor, in percent from 0 to 100, so that a ramping instance gets some calls from
    /// its first moment (with aggression above 1 the curve starts very flat). Default 10 (Envoy's min_weight_percent).
    /// </summary>
    public double MinWeightPercent { get; set; } = 10;

    /// <summary>Gets or sets the clock the window is measured on (a fake one in tests). Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Checks every option; called by <see cref="SlowStart.Create{T}"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it and its value.</exception>
    /// <exception cref="ArgumentNullException"><see cref="TimeProvider"/> is <see langword="null"/>.</exception>
    public void Validate()
    {
        if (Window <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Window), Window, $"SlowStartOptions.Window must be positive, but was {Window}.");
        }

        if (double.IsNaN(Aggression) || double.IsInfinity(Aggression) || Aggression <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Aggression), Aggression, $"SlowStartOptions.Aggression must be positive and finite, but was {Aggression}.");
        }

        if (double.IsNaN(MinWeightPercent) || MinWeightPercent < 0 || MinWeightPercent > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(MinWeightPercent), MinWeightPercent, $"SlowStartOptions.MinWeightPercent must be between 0 and 100, but was {MinWeightPercent}.");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
    }

    internal SlowStartOptions Clone() => (SlowStartOptions)MemberwiseClone();
}
