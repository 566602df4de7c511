using Grpc.Net.Client.Balancer;

namespace SdKit.Grpc.Balancing;

/// <summary>A ready subchannel and its call counter, as a picker receives them.</summary>
/// <param name="Subchannel">The subchannel.</param>
/// <param name="Calls">Its calls in flight.</param>
/// <param name="Weight">The weight of its instance, 1 when it has none.</param>
/// <param name="Zone">The zone of its instance, <see langword="null"/> when it has none.</param>
internal readonly record struct ReadySubchannel(Subchannel Subchannel, OutstandingCalls Calls, int Weight = 1, string? Zone = null);
