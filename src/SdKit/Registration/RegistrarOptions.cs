using SdKit.Client;

namespace SdKit.Registration;

/// <summary>Options of a <see cref="Registrar"/>.</summary>
public sealed class RegistrarOptions
{
    /// <summary>Gets or sets the delays between registration attempts after a failure.</summary>
    /// <value>The default value is 100 ms doubling up to 10 s, with 20 % jitter.</value>
    public BackoffOptions Backoff { get; set; } = new();

    /// <summary>Gets or sets how long disposal waits for the entry to be removed before giving up.</summary>
    /// <value>The default value is 5 seconds. The entry vanishes with the client's session or lease anyway.</value>
    public TimeSpan DeregisterOnDisposeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets the clock that backoff delays wait on.</summary>
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
        if (DeregisterOnDisposeTimeout < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(DeregisterOnDisposeTimeout), DeregisterOnDisposeTimeout, "The deregistration timeout must not be negative.");
        }
    }

    internal RegistrarOptions Clone() => new()
    {
        Backoff = Backoff.Clone(),
        DeregisterOnDisposeTimeout = DeregisterOnDisposeTimeout,
        TimeProvider = TimeProvider,
    };
}
