using Grpc.Core;
using SdKit.LoadBalancing;

namespace SdKit.Grpc;

/// <summary>
/// Settings of SdKit's gRPC integration (<c>AddSdKitGrpc</c>): which load-balancing policy an <c>sdkit:///</c> channel
/// gets, what credentials channels made by the gRPC client factory get, and how long the first resolution waits for
/// the registry.
/// </summary>
public sealed class SdKitGrpcOptions
{
    /// <summary>
    /// Gets or sets the load-balancing policy the resolver asks the channel for (in the service config it returns):
    /// <see cref="SdKitGrpcPolicies.LeastOutstanding"/>, <see cref="SdKitGrpcPolicies.RoundRobin"/>, <see cref="SdKitGrpcPolicies.WeightedRoundRobin"/>,
    /// <see cref="SdKitGrpcPolicies.ZoneAware"/> (with <see cref="ZoneAware"/>), or any policy
    /// the channel has a factory for (<c>round_robin</c>, <c>pick_first</c>). <see langword="null"/> returns no service
    /// config, so the channel's own <c>GrpcChannelOptions.ServiceConfig</c> decides.
    /// </summary>
    /// <value>The default value is <see cref="SdKitGrpcPolicies.LeastOutstanding"/>.</value>
    public string? LoadBalancingPolicy { get; set; } = SdKitGrpcPolicies.LeastOutstanding;

    /// <summary>
    /// Gets or sets the credentials given to a channel of the gRPC client factory (<c>AddGrpcClient</c>) whose address
    /// is <c>sdkit:///...</c> and that has none of its own. gRPC cannot tell from such an address whether to use TLS,
    /// so it refuses a channel without credentials; a registered instance is usually a plaintext <c>host:port</c> inside
    /// the network, hence the default. Set <see cref="ChannelCredentials.SecureSsl"/> for TLS, or <see langword="null"/>
    /// to leave every channel to its own <c>ConfigureChannel</c>.
    /// </summary>
    /// <value>The default value is <see cref="ChannelCredentials.Insecure"/>.</value>
    public ChannelCredentials? ChannelCredentials { get; set; } = ChannelCredentials.Insecure;

    /// <summary>
    /// Gets or sets how long a channel's first resolution waits for the registry's first answer before it fails the
    /// waiting calls with <see cref="StatusCode.Unavailable"/> (calls then go on as soon as the registry answers).
    /// </summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan FirstAnswerTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets or sets the zone-aware rule's settings for <see cref="SdKitGrpcPolicies.ZoneAware"/>: the caller's zone
    /// (<see cref="ZoneAwareOptions.LocalZone"/>, required by that policy; bound from <c>SdKit:Grpc:ZoneAware:LocalZone</c>),
    /// its share of the callers and the fewest ready instances for zones to count. Read when the policy's factory is made.
    /// </summary>
    /// <value>The default value has no local zone: a channel on the zone-aware policy fails its calls saying so.</value>
    public ZoneAwareOptions ZoneAware { get; set; } = new();
}
