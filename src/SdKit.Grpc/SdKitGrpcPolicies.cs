namespace SdKit.Grpc;

/// <summary>The names of SdKit's load-balancing policies, as a gRPC service config names them.</summary>
public static class SdKitGrpcPolicies
{
    /// <summary>
    /// Power of two choices over calls in flight: two ready subchannels drawn at random, the one with fewer calls
    /// in flight taken (counted through <c>ISubchannelCallTracker</c>).
    /// </summary>
    public const string LeastOutstanding = "sdkit_least_outstanding";

    /// <summary>One shared rotation over the ready subchannels (go-kit's round robin).</summary>
    public const string RoundRobin = "sdkit_round_robin";

    /// <summary>
    /// Smooth weighted round robin by the instances' weights (<see cref="Balancing.SdKitWeightedRoundRobinBalancerFactory"/>):
    /// an instance of weight 3 gets three calls for every one of an instance of weight 1, spread out.
    /// </summary>
    public const string WeightedRoundRobin = "sdkit_weighted_round_robin";

    /// <summary>
    /// Zone-aware routing (<see cref="Balancing.SdKitZoneAwareBalancerFactory"/>, Envoy's rule, the one
    /// <c>Balancers.ZoneAware</c> applies): calls stay in <see cref="SdKitGrpcOptions.ZoneAware"/>'s local zone while it
    /// holds its callers' share of the ready capacity (weights), and spill to the zones with residual capacity otherwise;
    /// within a zone, weighted power of two choices over calls in flight.
    /// </summary>
    public const string ZoneAware = "sdkit_zone_aware";

    /// <summary>The key of the service name in a policy's configuration, for the message of a call that finds no instance.</summary>
    internal const string ServiceKey = "service";
}
