namespace SdKit.LoadBalancing;

/// <summary>Options of <see cref="Balancers.PeakEwma{T}"/>.</summary>
public sealed class PeakEwmaOptions
{
    /// <summary>
    /// Gets or sets how fast a latency is forgotten: an old observation weighs e^(-elapsed/DecayTime). Default 10 s
    /// (Finagle's default decay time).
    /// </summary>
    public TimeSpan DecayTime { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets the clock that times calls (a fake one in tests). Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Checks every option; called by <see cref="Balancers.PeakEwma{T}"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="DecayTime"/> is not positive; the message names its value.</exception>
    /// <exception cref="ArgumentNullException"><see cref="TimeProvider"/> is <see langword="null"/>.</exception>
    public void Validate()
    {
        if (DecayTime <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(DecayTime), DecayTime, $"PeakEwmaOptions.DecayTime must be positive, but was {DecayTime}.");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
    }

    internal PeakEwmaOptions Clone() => (PeakEwmaOptions)MemberwiseClone();
}
