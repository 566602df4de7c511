using System.Runtime.CompilerServices;
using Grpc.Net.Client.Balancer;

namespace SdKit.Grpc.Balancing;

/// <summary>
/// Smooth weighted round robin over the ready subchannels, each weighted by its instance's
/// <see cref="SdKit.Instances.ServiceInstance.Weight"/>. The cycle is computed when the picker is made; one shared
/// counter walks it, so a new picker after a state change goes on where the last one was.
/// </summary>
internal sealed class WeightedRoundRobinPicker : SubchannelPicker
{
    private readonly PickResult[] _results;
    private readonly OutstandingCalls[] _calls;
    private readonly int[] _schedule;
    private readonly StrongBox<uint> _counter;

    public WeightedRoundRobinPicker(IReadOnlyList<ReadySubchannel> ready, StrongBox<uint> counter)
    {
        _results = [.. ready.Select(r => PickResult.ForSubchannel(r.Subchannel, r.Calls))];
        _calls = [.. ready.Select(r => r.Calls)];
        _schedule = WeightedSchedule.Create([.. ready.Select(r => r.Weight)]);
        _counter = counter;
    }

    /// <inheritdoc/>
    public override PickResult Pick(PickContext context)
    {
        var length = (uint)_schedule.Length;
        var start = Interlocked.Increment(ref _counter.Value);
        for (var step = 0u; step < length; step++)
        {
            // A subchannel whose calls could not connect just now is passed over while another is left.
            var index = _schedule[(start + step) % length];
            if (!_calls[index].Refused)
            {
                return _results[index];
            }
        }

        return _results[_schedule[start % length]];
    }

    /// <inheritdoc/>
    public override string ToString() => $"{SdKitGrpcPolicies.WeightedRoundRobin} over {_results.Length} subchannels, cycle {_schedule.Length}";
}
