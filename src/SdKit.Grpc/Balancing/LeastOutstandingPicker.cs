using Grpc.Net.Client.Balancer;

namespace SdKit.Grpc.Balancing;

/// <summary>
/// Power of two choices over the ready subchannels: two drawn at random (distinct), the one with fewer calls in
/// flight taken, ties to the first. The pick is lock-free; the counts move through the returned tracker.
/// </summary>
internal sealed class LeastOutstandingPicker : SubchannelPicker
{
    private readonly Subchannel[] _subchannels;
    private readonly OutstandingCalls[] _calls;
    private readonly PickResult[] _results;

    public LeastOutstandingPicker(IReadOnlyList<ReadySubchannel> ready)
    {
        _subchannels = [.. ready.Select(r => r.Subchannel)];
        _calls = [.. ready.Select(r => r.Calls)];

        // A result per subchannel, made once: picking allocates nothing.
        _results = [.. ready.Select(r => PickResult.ForSubchannel(r.Subchannel, r.Calls))];
    }

    /// <inheritdoc/>
    public override PickResult Pick(PickContext context)
    {
        var length = _results.Length;
        if (length == 1)
        {
            return _results[0];
        }

        var first = Random.Shared.Next(length);
        var second = Random.Shared.Next(length - 1);
        if (second >= first)
        {
            second++;
        }

        var (one, other) = (_calls[first], _calls[second]);
        var (oneRefused, otherRefused) = (one.Refused, other.Refused);
        if (oneRefused != otherRefused)
        {
            return oneRefused ? _results[second] : _results[first];
        }

        return other.Count < one.Count ? _results[second] : _results[first];
    }

    /// <inheritdoc/>
    public override string ToString() => $"{SdKitGrpcPolicies.LeastOutstanding} over [{string.Join(", ", _subchannels.Select(s => s.CurrentAddress?.ToString()))}]";
}
