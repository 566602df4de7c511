namespace SdKit.Client;

/// <summary>
/// Capped exponential backoff with jitter, as every SdKit background loop uses it: the instancer's re-watch, the
/// registrar's re-registration, <see cref="LoadBalancing.Retry"/> between attempts, and the backends' reconnect and
/// re-grant loops.
/// </summary>
/// <remarks>
/// The n-th delay (from 0) is <c>min(MaxDelay, InitialDelay * Multiplier^n)</c>, reduced by a random fraction of up
/// to <see cref="JitterFraction"/> so that many clients that failed together do not retry together.
/// </remarks>
public sealed class BackoffOptions
{
    /// <summary>Gets or sets the first delay.</summary>
    /// <value>The default value is 100 milliseconds.</value>
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Gets or sets the largest delay.</summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets the factor applied to the delay after each failure.</summary>
    /// <value>The default value is 2.</value>
    public double Multiplier { get; set; } = 2.0;

    /// <summary>Gets or sets the largest fraction (0 to 1) by which a delay is randomly shortened.</summary>
    /// <value>The default value is 0.2.</value>
    public double JitterFraction { get; set; } = 0.2;

    /// <summary>Throws when a value is out of range, naming it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        if (InitialDelay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(InitialDelay), InitialDelay, "The initial backoff delay must not be negative.");
        }

        if (MaxDelay < InitialDelay)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDelay), MaxDelay, $"The maximum backoff delay must be at least the initial delay ({InitialDelay}).");
        }

        if (!(Multiplier >= 1.0) || double.IsInfinity(Multiplier))
        {
            throw new ArgumentOutOfRangeException(nameof(Multiplier), Multiplier, "The backoff multiplier must be a finite number of at least 1.");
        }

        if (!(JitterFraction is >= 0.0 and <= 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(JitterFraction), JitterFraction, "The backoff jitter fraction must be between 0 and 1.");
        }
    }

    /// <summary>Returns a copy, so that later changes to this object do not affect a running loop.</summary>
    /// <returns>A copy of these options.</returns>
    public BackoffOptions Clone() => (BackoffOptions)MemberwiseClone();
}
