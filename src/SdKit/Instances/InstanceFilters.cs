namespace SdKit.Instances;

/// <summary>Ready-made predicates over <see cref="ServiceInstance"/> for <see cref="FilteredInstancer"/>, and ways to combine them.</summary>
public static class InstanceFilters
{
    /// <summary>Gets a predicate that keeps the instances that want traffic (<see cref="ServiceInstance.Enabled"/>).</summary>
    public static Func<ServiceInstance, bool> Enabled { get; } = static instance => instance.Enabled;

    /// <summary>Keeps the instances whose metadata holds <paramref name="key"/> with exactly (ordinally) <paramref name="value"/>.</summary>
    /// <param name="key">The metadata key, for example <c>version</c>.</param>
    /// <param name="value">The value it must have.</param>
    /// <returns>The predicate.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="value"/> is <see langword="null"/>.</exception>
    public static Func<ServiceInstance, bool> MetadataEquals(string key, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(value);
        return instance => instance.Metadata.TryGetValue(key, out var actual) && string.Equals(actual, value, StringComparison.Ordinal);
    }

    /// <summary>Keeps the instances whose metadata holds <paramref name="key"/>, with any value.</summary>
    /// <param name="key">The metadata key.</param>
    /// <returns>The predicate.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    public static Func<ServiceInstance, bool> HasMetadata(string key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        return instance => instance.Metadata.ContainsKey(key);
    }

    /// <summary>Keeps the instances in <paramref name="zone"/> (compared ordinally).</summary>
    /// <param name="zone">The zone.</param>
    /// <returns>The predicate.</returns>
    /// <exception cref="ArgumentException"><paramref name="zone"/> is empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="zone"/> is <see langword="null"/>.</exception>
    public static Func<ServiceInstance, bool> InZone(string zone)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(zone);
        return instance => string.Equals(instance.Zone, zone, StringComparison.Ordinal);
    }

    /// <summary>Keeps the instances every one of <paramref name="predicates"/> keeps (all of none keeps everything).</summary>
    /// <param name="predicates">The predicates.</param>
    /// <returns>The predicate.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="predicates"/> or one of them is <see langword="null"/>.</exception>
    public static Func<ServiceInstance, bool> All(params Func<ServiceInstance, bool>[] predicates)
    {
        var copy = Checked(predicates);
        return instance => Array.TrueForAll(copy, p => p(instance));
    }

    /// <summary>Keeps the instances at least one of <paramref name="predicates"/> keeps (any of none keeps nothing).</summary>
    /// <param name="predicates">The predicates.</param>
    /// <returns>The predicate.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="predicates"/> or one of them is <see langword="null"/>.</exception>
    public static Func<ServiceInstance, bool> Any(params Func<ServiceInstance, bool>[] predicates)
    {
        var copy = Checked(predicates);
        return instance => Array.Exists(copy, p => p(instance));
    }

    /// <summary>Keeps the instances <paramref name="predicate"/> leaves out.</summary>
    /// <param name="predicate">The predicate to invert.</param>
    /// <returns>The predicate.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="predicate"/> is <see langword="null"/>.</exception>
    public static Func<ServiceInstance, bool> Not(Func<ServiceInstance, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return instance => !predicate(instance);
    }

    private static Func<ServiceInstance, bool>[] Checked(Func<ServiceInstance, bool>[] predicates)
    {
        ArgumentNullException.ThrowIfNull(predicates);
        var copy = (Func<ServiceInstance, bool>[])predicates.Clone();
        for (var i = 0; i < copy.Length; i++)
        {
            if (copy[i] is null)
            {
                throw new ArgumentNullException(nameof(predicates), $"Predicate {i} of {copy.Length} is null.");
            }
        }

        return copy;
    }
}
