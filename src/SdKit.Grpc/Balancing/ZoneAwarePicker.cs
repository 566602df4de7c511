using Grpc.Net.Client.Balancer;
using SdKit.LoadBalancing;

namespace SdKit.Grpc.Balancing;

/// <summary>
/// Zone-aware routing over the ready subchannels: the core's <see cref="ZoneShares"/> computed once per picker (every
/// change of the ready set makes a new one), then per call one draw for the zone and a weighted power of two choices
/// within it. Lock-free and allocation-free per pick.
/// </summary>
internal sealed class ZoneAwarePicker : SubchannelPicker
{
    private readonly PickResult[] _results;
    private readonly OutstandingCalls[] _calls;
    private readonly int[] _weights;
    private readonly ZoneShares _shares;

    /// <summary>The subchannel indexes of each part: the local zone, then each of <see cref="ZoneShares.SpillZones"/>, then all.</summary>
    private readonly int[][] _parts;

    public ZoneAwarePicker(IReadOnlyList<ReadySubchannel> ready, ZoneAwareOptions options)
    {
        _results = [.. ready.Select(r => PickResult.ForSubchannel(r.Subchannel, r.Calls))];
        _calls = [.. ready.Select(r => r.Calls)];

        // A non-positive weight would drop a ready subchannel out of the rule; count it as 1, as an untyped one.
        _weights = [.. ready.Select(r => Math.Max(1, r.Weight))];
        string?[] zones = [.. ready.Select(r => r.Zone)];
        _shares = ZoneShares.Compute(zones, _weights, options);
        var spill = _shares.SpillZones;
        var parts = new List<int>[spill.Length + 2];
        for (var p = 0; p < parts.Length; p++)
        {
            parts[p] = [];
        }

        for (var i = 0; i < zones.Length; i++)
        {
            parts[^1].Add(i);
            if (string.Equals(zones[i], options.LocalZone, StringComparison.Ordinal))
            {
                parts[0].Add(i);
                continue;
            }

            for (var z = 0; z < spill.Length; z++)
            {
                if (string.Equals(zones[i], spill[z], StringComparison.Ordinal))
                {
                    parts[z + 1].Add(i);
                    break;
                }
            }
        }

        _parts = [.. parts.Select(p => p.ToArray())];
    }

    /// <summary>Gets the rule's shares over the ready subchannels (for tests).</summary>
    internal ZoneShares Shares => _shares;

    /// <inheritdoc/>
    public override PickResult Pick(PickContext context)
    {
        var bits = ThreadRandom.NextBits();
        var part = _shares.Choose(bits);
        var members = _parts[part < 0 ? _parts.Length - 1 : part];
        if (members.Length == 1)
        {
            return _results[members[0]];
        }

        // Two distinct members (the core's power-of-two-choices draw), the one with fewer calls in flight per unit of weight.
        var (firstAt, secondAt) = LoadChoice.Positions(ThreadRandom.NextBits(), members.Length);

        var (first, second) = (members[firstAt], members[secondAt]);
        var (firstRefused, secondRefused) = (_calls[first].Refused, _calls[second].Refused);
        if (firstRefused != secondRefused)
        {
            return firstRefused ? _results[second] : _results[first];
        }

        // (calls + 1) / weight compared without dividing; ties to the first.
        var firstCost = (long)(_calls[first].Count + 1) * _weights[second];
        var secondCost = (long)(_calls[second].Count + 1) * _weights[first];
        return secondCost < firstCost ? _results[second] : _results[first];
    }

    /// <inheritdoc/>
    public override string ToString() => $"{SdKitGrpcPolicies.ZoneAware} over {_results.Length} subchannels, {_shares.LocalShare:P0} local";
}
