using Grpc.Net.Client.Balancer;

namespace SdKit.Grpc.Balancing;

/// <summary>
/// The <see cref="SdKitGrpcPolicies.LeastOutstanding"/> policy: power of two choices over calls in flight, counted
/// through <see cref="ISubchannelCallTracker"/>. An empty address list fails calls with <c>Unavailable</c> naming the
/// service; a resolver failure keeps the subchannels.
/// </summary>
public sealed class LeastOutstandingBalancerFactory : LoadBalancerFactory
{
    /// <inheritdoc/>
    public override string Name => SdKitGrpcPolicies.LeastOutstanding;

    /// <inheritdoc/>
    public override LoadBalancer Create(LoadBalancerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ServiceLoadBalancer(options, static ready => new LeastOutstandingPicker(ready));
    }
}
