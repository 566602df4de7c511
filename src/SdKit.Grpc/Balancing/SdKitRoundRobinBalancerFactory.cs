using System.Runtime.CompilerServices;
using Grpc.Net.Client.Balancer;

namespace SdKit.Grpc.Balancing;

/// <summary>
/// The <see cref="SdKitGrpcPolicies.RoundRobin"/> policy: one rotation over the ready subchannels, with SdKit's
/// handling of an empty set (calls fail with <c>Unavailable</c> naming the service) and of a resolver failure (the
/// subchannels stay).
/// </summary>
public sealed class SdKitRoundRobinBalancerFactory : LoadBalancerFactory
{
    /// <inheritdoc/>
    public override string Name => SdKitGrpcPolicies.RoundRobin;

    /// <inheritdoc/>
    public override LoadBalancer Create(LoadBalancerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var counter = new StrongBox<uint>((uint)Random.Shared.Next());
        return new ServiceLoadBalancer(options, ready => new RoundRobinPicker(ready, counter));
    }
}
