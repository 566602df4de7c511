using System.Runtime.CompilerServices;
using Grpc.Net.Client.Balancer;

namespace SdKit.Grpc.Balancing;

/// <summary>
/// One rotation over the ready subchannels, shared by every call of the channel (go-kit's round robin). The counter
/// belongs to the balancer, so a new picker after a state change goes on where the last one was.
/// </summary>
internal sealed class RoundRobinPicker(IReadOnlyList<ReadySubchannel> ready, StrongBox<uint> counter) : SubchannelPicker
{
    private readonly PickResult[] _results = [.. ready.Select(r => PickResult.ForSubchannel(r.Subchannel, r.Calls))];

    /// <inheritdoc/>
    public override PickResult Pick(PickContext context)
        => _results[(int)(Interlocked.Increment(ref counter.Value) % (uint)_results.Length)];

    /// <inheritdoc/>
    public override string ToString() => $"{SdKitGrpcPolicies.RoundRobin} over {_results.Length} subchannels";
}
