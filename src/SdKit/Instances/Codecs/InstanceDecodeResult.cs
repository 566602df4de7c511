namespace SdKit.Instances.Codecs;

/// <summary>The outcome of decoding one instance string: the instance, or why it did not decode.</summary>
public readonly record struct InstanceDecodeResult
{
    private InstanceDecodeResult(ServiceInstance? instance, string? failure)
    {
        Instance = instance;
        Failure = failure;
    }

    /// <summary>Gets the decoded instance, or <see langword="null"/> on failure.</summary>
    public ServiceInstance? Instance { get; }

    /// <summary>Gets the reason decoding failed, naming the bad value, or <see langword="null"/> on success.</summary>
    public string? Failure { get; }

    /// <summary>Gets a value indicating whether the string decoded.</summary>
    public bool Succeeded => Instance is not null;

    /// <summary>Returns a successful result.</summary>
    /// <param name="instance">The decoded instance.</param>
    /// <returns>The result.</returns>
    public static InstanceDecodeResult Success(ServiceInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return new(instance, null);
    }

    /// <summary>Returns a failed result.</summary>
    /// <param name="reason">Why decoding failed, naming the bad value.</param>
    /// <returns>The result.</returns>
    public static InstanceDecodeResult Fail(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new(null, reason);
    }
}
