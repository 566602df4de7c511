namespace SdKit.LoadBalancing;

/// <summary>
/// Thrown by a <see cref="Retry"/> endpoint when every attempt failed (go-kit's <c>RetryError</c>): it carries every
/// error seen, in order, and the final one. Its message is the final error followed by
/// <c>(previously: e1; e2)</c>.
/// </summary>
public sealed class RetryException : Exception
{
    /// <summary>Initializes a new exception.</summary>
    public RetryException()
        : this([], new InvalidOperationException("No attempt was made."))
    {
    }

    /// <summary>Initializes a new exception with a message.</summary>
    /// <param name="message">What failed.</param>
    public RetryException(string message)
        : base(message)
    {
        Errors = [];
        Final = this;
    }

    /// <summary>Initializes a new exception with a message and the final error.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The final error.</param>
    public RetryException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Errors = innerException is null ? [] : [innerException];
        Final = innerException ?? this;
    }

    /// <summary>Initializes a new exception from the errors of every attempt and the final one.</summary>
    /// <param name="errors">Every error seen, in order.</param>
    /// <param name="final">The error reported for the call: the last one, or the callback's replacement.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public RetryException(IReadOnlyList<Exception> errors, Exception final)
        : base(FormatMessage(errors, final), final)
    {
        Errors = [.. errors];
        Final = final;
    }

    /// <summary>Gets every error seen, one per failed attempt, in order.</summary>
    public IReadOnlyList<Exception> Errors { get; }

    /// <summary>Gets the error reported for the call (also the <see cref="Exception.InnerException"/>).</summary>
    public Exception Final { get; }

    private static string FormatMessage(IReadOnlyList<Exception> errors, Exception final)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(final);
        return errors.Count <= 1
            ? final.Message
            : $"{final.Message} (previously: {string.Join("; ", errors.Take(errors.Count - 1).Select(e => e.Message))})";
    }
}
