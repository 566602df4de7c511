using SdKit.LoadBalancing;

namespace SdKit.Yarp;

/// <summary>Settings of SdKit's YARP destinations (<c>AddSdKitDestinations</c>).</summary>
public sealed class SdKitYarpOptions
{
    /// <summary>Gets or sets the scheme given to an instance registered as <c>host:port</c> (a URI instance keeps its own).</summary>
    /// <value>The default value is <c>http</c>.</value>
    public string DefaultScheme { get; set; } = Uri.UriSchemeHttp;

    /// <summary>
    /// Gets or sets how long a resolution waits for the registry's first answer about a service before it gives the
    /// cluster no destination for it (YARP answers 503) and goes on waiting; the answer then updates the cluster.
    /// </summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan FirstAnswerTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets or sets the zone-aware rule's settings for the <c>SdKitZoneAware</c> load-balancing policy
    /// (<c>SdKitReverseProxyBuilderExtensions.ZoneAwareLoadBalancingPolicy</c>): the proxy's own zone
    /// (<see cref="ZoneAwareOptions.LocalZone"/>, required by that policy), its share of the callers and the fewest
    /// available destinations for zones to count. Read on the policy's first pick.
    /// </summary>
    /// <value>The default value has no local zone: a request to a cluster on the zone-aware policy fails saying so.</value>
    public ZoneAwareOptions ZoneAware { get; set; } = new();
}
