using System.Runtime.CompilerServices;
using Grpc.Net.Client.Balancer;

namespace SdKit.Grpc.Balancing;

/// <summary>
/// The <c>sdkit_weighted_round_robin</c> policy: smooth weighted round robin (nginx's) over the ready subchannels,
/// weighted by the instances' weights (<see cref="Resolution.SdKitBalancerAttributes.TypedInstance"/>; 1 for an
/// instance without one). Calls that could not connect keep a subchannel out for a moment, as in the other policies.
/// </summary>
public sealed class SdKitWeightedRoundRobinBalancerFactory : LoadBalancerFactory
{
    /// <inheritdoc/>
    public override string Name => SdKitGrpcPolicies.WeightedRoundRobin;

    /// <inheritdoc/>
    public override LoadBalancer Create(LoadBalancerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var counter = new StrongBox<uint>((uint)Random.Shared.Next());
        return new ServiceLoadBalancer(options, ready => new WeightedRoundRobinPicker(ready, counter));
    }
}
