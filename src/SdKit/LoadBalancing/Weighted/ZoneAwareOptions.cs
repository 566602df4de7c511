using System.Globalization;

namespace SdKit.LoadBalancing;

/// <summary>Options of <see cref="Balancers.ZoneAware{T}"/>.</summary>
public sealed class ZoneAwareOptions
{
    /// <summary>Gets or sets the caller's own zone (required), compared ordinally with <see cref="Instances.ServiceInstance.Zone"/>.</summary>
    public string? LocalZone { get; set; }

    /// <summary>
    /// Gets or sets the share of the calling fleet that runs in <see cref="LocalZone"/>, in (0, 1] (Envoy reads it
    /// from the local cluster's membership). <see langword="null"/> (the default) assumes the callers are spread
    /// evenly over the zones the service's enabled instances occupy: 1 / that number of zones.
    /// </summary>
    public double? LocalCallerShare { get; set; }

    /// <summary>
    /// Gets or sets the fewest enabled instances for zone awareness to apply; below it every pick goes to any enabled
    /// instance, whatever its zone. Default 6 (Envoy's <c>min_cluster_size</c>).
    /// </summary>
    public int MinClusterSize { get; set; } = 6;

    /// <summary>Checks every option; called by <see cref="Balancers.ZoneAware{T}"/>.</summary>
    /// <exception cref="ArgumentException"><see cref="LocalZone"/> is missing or white space; the message names its value.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="LocalCallerShare"/> is outside (0, 1] or <see cref="MinClusterSize"/> is negative; the message names the value.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(LocalZone))
        {
            throw new ArgumentException($"ZoneAwareOptions.LocalZone must name the caller's zone, but was '{LocalZone ?? "null"}'.", nameof(LocalZone));
        }

        if (LocalCallerShare is { } share && (double.IsNaN(share) || share <= 0 || share > 1))
        {
            throw new ArgumentOutOfRangeException(nameof(LocalCallerShare), share, $"ZoneAwareOptions.LocalCallerShare must be in (0, 1], but was {share.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (MinClusterSize < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MinClusterSize), MinClusterSize, $"ZoneAwareOptions.MinClusterSize must be 0 or more, but was {MinClusterSize.ToString(CultureInfo.InvariantCulture)}.");
        }
    }

    internal ZoneAwareOptions Clone() => (ZoneAwareOptions)MemberwiseClone();
}
