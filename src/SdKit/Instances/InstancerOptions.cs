using SdKit.Client;

namespace SdKit.Instances;

/// <summary>Options of an <see cref="Instancer"/>.</summary>
public sealed class InstancerOptions
{
    /// <summary>Gets or sets the delays between watch attempts after the backend fails.</summary>
    /// <value>The default value is 100 ms doubling up to 10 s, with 20 % jitter.</value>
    public BackoffOptions Backoff { get; set; } = new();

    /// <summary>Gets or sets the clock that backoff delays wait on.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Throws when a value is missing or out of range, naming it.</summary>
    /// <exception cref="ArgumentNullException">A value is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A backoff value is out of range.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Backoff);
        ArgumentNullException.ThrowIfNull(TimeProvider);
        Backoff.Validate();
    }
}
