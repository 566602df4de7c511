namespace SdKit.Endpoints;

/// <summary>Options of an <see cref="Endpointer{T}"/>.</summary>
public sealed class EndpointerOptions
{
    /// <summary>
    /// Gets or sets how long endpoints stay usable after an instancer error (go-kit's <c>InvalidateOnError</c>): the
    /// first error starts the clock (later errors do not restart it); when it runs out every endpoint is closed and
    /// reading fails with that first error, until the next good event rebuilds them through the factory.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: an error is logged and the last endpoints stay.</value>
    public TimeSpan? InvalidateOnError { get; set; }

    /// <summary>Gets or sets the clock the <see cref="InvalidateOnError"/> deadline runs on.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Throws when a value is missing or out of range, naming it.</summary>
    /// <exception cref="ArgumentNullException"><see cref="TimeProvider"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="InvalidateOnError"/> is negative.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(TimeProvider);
        if (InvalidateOnError < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(InvalidateOnError), InvalidateOnError, "The invalidation timeout must not be negative.");
        }
    }
}
