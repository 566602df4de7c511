using SdKit.Client;

namespace SdKit.LoadBalancing;

/// <summary>Options of <see cref="Retry"/>.</summary>
public sealed class RetryOptions
{
    /// <summary>Gets or sets the total number of attempts, the first included (go-kit's <c>max</c>; 0 and 1 both mean one).</summary>
    /// <value>The default value is 3.</value>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Gets or sets the time all attempts together may take; <see cref="Timeout.InfiniteTimeSpan"/> for none.</summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Gets or sets the decision after each failed attempt (go-kit's <c>Callback</c>): given the attempt number (from 1)
    /// and its error, whether to keep trying and, optionally, an error to report instead when retrying stops here.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: keep trying until <see cref="MaxAttempts"/>.</value>
    public Func<int, Exception, (bool KeepTrying, Exception? Replacement)>? Callback { get; set; }

    /// <summary>Gets or sets the pause between attempts (go-kit has none and spins on a failing endpoint).</summary>
    /// <value>The default value is 10 ms doubling up to 200 ms, with 50 % jitter.</value>
    public BackoffOptions Backoff { get; set; } = new()
    {
        InitialDelay = TimeSpan.FromMilliseconds(10),
        MaxDelay = TimeSpan.FromMilliseconds(200),
        JitterFraction = 0.5,
    };

    /// <summary>Gets or sets a value indicating whether a retry prefers endpoints this call has not tried yet.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool PreferUntried { get; set; } = true;

    /// <summary>Gets or sets the clock of the timeout and the backoff.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Throws when a value is missing or out of range, naming it.</summary>
    /// <exception cref="ArgumentNullException">A value is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Backoff);
        ArgumentNullException.ThrowIfNull(TimeProvider);
        Backoff.Validate();
        if (MaxAttempts < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxAttempts), MaxAttempts, "The number of attempts must not be negative.");
        }

        if (Timeout <= TimeSpan.Zero && Timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(Timeout), Timeout, "The retry timeout must be positive or infinite.");
        }
    }

    internal RetryOptions Clone() => new()
    {
        MaxAttempts = MaxAttempts,
        Timeout = Timeout,
        Callback = Callback,
        Backoff = Backoff.Clone(),
        PreferUntried = PreferUntried,
        TimeProvider = TimeProvider,
    };
}
