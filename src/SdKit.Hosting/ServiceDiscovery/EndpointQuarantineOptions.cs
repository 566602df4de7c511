using System.ComponentModel.DataAnnotations;

namespace SdKit.Hosting.ServiceDiscovery;

/// <summary>
/// Settings of the passive ejection on the HttpClient path (<c>AddSdKitServiceDiscovery</c>), bound from
/// <c>SdKit:Quarantine</c> and validated when the host starts.
/// </summary>
public sealed class EndpointQuarantineOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "SdKit:Quarantine";

    /// <summary>
    /// Gets or sets how long an instance that refused a connection (or could not be connected to at all) is left out of
    /// the endpoints every HTTP client of the application chooses from. It is chosen again afterwards; if it fails again
    /// it is left out again. While every instance of a service is left out, all of them are offered, so calls fail with
    /// the real connection error rather than "no endpoints". <see cref="TimeSpan.Zero"/> turns the quarantine off.
    /// </summary>
    /// <value>The default value is 10 seconds: longer than a ZooKeeper or etcd session usually takes to expire after a
    /// crash, so a killed instance is not tried again before the registry drops it.</value>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Gets or sets how many times an HTTP call is retried after a connection failure, each time on the next instance
    /// Microsoft.Extensions.ServiceDiscovery chooses (round robin, with the refused one already left out).
    /// </summary>
    /// <value>The default value is 3.</value>
    [Range(0, 100)]
    public int ConnectRetries { get; set; } = 3;
}
