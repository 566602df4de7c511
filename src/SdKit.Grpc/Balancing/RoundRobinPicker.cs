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
    private readonly OutstandingCalls[] _calls = [.. ready.Select(r => r.Calls)];

    /// <inheritdoc/>
    public override PickResult Pick(PickContext context)
    {
        var length = (uint)_results.Length;
        var start = Interlocked.Increment(ref counter.Value);
        for (var step = 0u; step < length; step++)
        {
            // A subchannel whose calls could not connect just now is passed over while another is left.
            var index = (int)((start + step) % length);
            if (!_calls[index].Refused)
            {
                return _results[index];
            }
        }

        return _results[(int)(start % length)];
    }

    /// <inheritdoc/>
    public override string ToString() => $"{SdKitGrpcPolicies.RoundRobin} over {_results.Length} subchannels";
}
