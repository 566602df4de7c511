namespace SdKit.Client;

/// <summary>
/// The delay sequence of one retry loop: call <see cref="Next"/> (or <see cref="DelayAsync"/>) after each failure
/// and <see cref="Reset"/> after a success. Not thread-safe: each loop owns its own instance.
/// </summary>
public sealed class Backoff
{
    private readonly BackoffOptions _options;
    private readonly TimeProvider _timeProvider;

    /// <summary>Initializes a new backoff sequence.</summary>
    /// <param name="options">The delays; <see langword="null"/> for the defaults. Copied, then validated.</param>
    /// <param name="timeProvider">The clock that <see cref="DelayAsync"/> waits on; the system clock by default.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public Backoff(BackoffOptions? options = null, TimeProvider? timeProvider = null)
    {
        _options = options?.Clone() ?? new BackoffOptions();
        _options.Validate();
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets the number of delays handed out since the last <see cref="Reset"/>.</summary>
    public int Attempts { get; private set; }

    /// <summary>Returns the next delay and advances the sequence.</summary>
    /// <returns>The delay to wait before the next attempt.</returns>
    public TimeSpan Next()
    {
        var delay = Compute(_options, Attempts, Random.Shared.NextDouble());
        if (Attempts < int.MaxValue)
        {
            Attempts++;
        }

        return delay;
    }

    /// <summary>Starts the sequence again from the initial delay.</summary>
    public void Reset() => Attempts = 0;

    /// <summary>Waits for the <see cref="Next"/> delay on the configured clock.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes after the delay.</returns>
    /// <exception cref="OperationCanceledException">The wait was cancelled.</exception>
    public Task DelayAsync(CancellationToken cancellationToken = default)
        => Task.Delay(Next(), _timeProvider, cancellationToken);

    /// <summary>Computes the delay of attempt <paramref name="attempt"/> (from 0) for a random draw in [0, 1).</summary>
    internal static TimeSpan Compute(BackoffOptions options, int attempt, double random)
    {
        var initial = options.InitialDelay.TotalMilliseconds;
        var max = options.MaxDelay.TotalMilliseconds;

        // Math.Pow grows past max within a few dozen attempts; clamp before multiplying to stay finite.
        var growth = Math.Pow(options.Multiplier, Math.Min(attempt, 1024));
        var baseDelay = double.IsFinite(growth) ? Math.Min(max, initial * growth) : max;
        var jittered = baseDelay * (1.0 - (options.JitterFraction * random));
        return TimeSpan.FromMilliseconds(Math.Max(0.0, jittered));
    }
}
