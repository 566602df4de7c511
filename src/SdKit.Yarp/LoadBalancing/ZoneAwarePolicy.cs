using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using SdKit.LoadBalancing;
using SdKit.Yarp.Destinations;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace SdKit.Yarp.LoadBalancing;

/// <summary>
/// A YARP load-balancing policy (<c>LoadBalancingPolicy = "SdKitZoneAware"</c>): Envoy's zone-aware routing over the
/// available destinations, by the same rule (and the same code, <see cref="ZoneShares"/>) as <c>Balancers.ZoneAware</c>
/// and the gRPC policy. Zone and weight come from the destination metadata SdKit's resolver writes
/// (<c>sdkit.zone</c>, <c>sdkit.weight</c>; weight 1 and no zone without them); the caller's zone from
/// <see cref="SdKitYarpOptions.ZoneAware"/>. Within the chosen zone two destinations are drawn and the one with fewer
/// requests in flight per unit of weight is taken.
/// </summary>
/// <remarks>
/// The rule is computed once per list of available destinations (YARP makes a new list whenever the destinations or
/// their health change) and kept beside it, so a pick is one draw, a comparison or a short scan, and two reads.
/// </remarks>
internal sealed class ZoneAwarePolicy(IOptions<SdKitYarpOptions> options) : ILoadBalancingPolicy
{
    /// <summary>The policy's name in a cluster's <c>LoadBalancingPolicy</c>.</summary>
    public const string PolicyName = "SdKitZoneAware";

    private readonly ConditionalWeakTable<IReadOnlyList<DestinationState>, Split> _splits = [];
    private ZoneAwareOptions? _options;

    /// <inheritdoc/>
    public string Name => PolicyName;

    /// <inheritdoc/>
    public DestinationState? PickDestination(HttpContext context, ClusterState cluster, IReadOnlyList<DestinationState> availableDestinations)
    {
        ArgumentNullException.ThrowIfNull(availableDestinations);
        if (availableDestinations.Count == 0)
        {
            return null;
        }

        if (!_splits.TryGetValue(availableDestinations, out var split))
        {
            split = _splits.GetValue(availableDestinations, list => new Split(list, Options()));
        }

        return split.Pick(availableDestinations);
    }

    /// <summary>The rule's options, checked on first use: a cluster that never names this policy needs no zone.</summary>
    private ZoneAwareOptions Options()
    {
        if (_options is { } known)
        {
            return known;
        }

        var configured = options.Value.ZoneAware ?? throw new InvalidOperationException("SdKitYarpOptions.ZoneAware is null; the SdKitZoneAware policy needs it.");
        try
        {
            configured.Validate();
        }
        catch (ArgumentException error)
        {
            throw new InvalidOperationException(
                $"The {PolicyName} load-balancing policy needs the caller's zone: set SdKitYarpOptions.ZoneAware (AddSdKitDestinations(o => o.ZoneAware.LocalZone = \"...\")). {error.Message}",
                error);
        }

        return _options = configured.Clone();
    }

    /// <summary>One list of available destinations cut by the rule: the indexes of each part and each one's weight.</summary>
    private sealed class Split
    {
        private readonly ZoneShares _shares;
        private readonly int[] _weights;

        /// <summary>The destination indexes of each part: the local zone, then each of <see cref="ZoneShares.SpillZones"/>, then all.</summary>
        private readonly int[][] _parts;

        public Split(IReadOnlyList<DestinationState> destinations, ZoneAwareOptions options)
        {
            var zones = new string?[destinations.Count];
            _weights = new int[destinations.Count];
            for (var i = 0; i < zones.Length; i++)
            {
                var metadata = destinations[i].Model?.Config.Metadata;
                zones[i] = metadata is not null && metadata.TryGetValue(InstanceDestinations.ZoneKey, out var zone) && zone.Length > 0 ? zone : null;
                _weights[i] = metadata is not null
                    && metadata.TryGetValue(InstanceDestinations.WeightKey, out var text)
                    && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var weight)
                    && weight > 0 ? weight : 1;
            }

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

                var at = Array.IndexOf(spill, zones[i]);
                if (at >= 0)
                {
                    parts[at + 1].Add(i);
                }
            }

            _parts = [.. parts.Select(p => p.ToArray())];
        }

        public DestinationState Pick(IReadOnlyList<DestinationState> destinations)
        {
            var bits = ThreadRandom.NextBits();
            var part = _shares.Choose(bits);
            var members = _parts[part < 0 ? _parts.Length - 1 : part];
            if (members.Length == 1)
            {
                return destinations[members[0]];
            }

            // Two distinct members (the core's power-of-two-choices draw), the one with fewer requests in flight per unit of weight.
            var (firstAt, secondAt) = LoadChoice.Positions(ThreadRandom.NextBits(), members.Length);

            var (first, second) = (members[firstAt], members[secondAt]);
            var firstCost = (long)(destinations[first].ConcurrentRequestCount + 1) * _weights[second];
            var secondCost = (long)(destinations[second].ConcurrentRequestCount + 1) * _weights[first];
            return secondCost < firstCost ? destinations[second] : destinations[first];
        }
    }
}
