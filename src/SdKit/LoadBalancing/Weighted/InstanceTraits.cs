using SdKit.Instances.Codecs;

namespace SdKit.LoadBalancing;

/// <summary>
/// What the weighted and zone-aware balancers need of each instance of one endpoint set, decoded once per set: the
/// weight (0 for a disabled instance, which is never picked) and the zone.
/// </summary>
/// <remarks>
/// An instance string that does not decode counts as weight 1, enabled, with no zone: the balancer cannot know
/// better, and leaving it out would hide an instance the endpointer serves. Decoded values are reused from the
/// previous set for the strings it shares with the new one (both lists are sorted by the endpointer: one merge).
/// </remarks>
internal sealed class InstanceTraits
{
    private InstanceTraits(string[] instances, int[] weights, string?[] zones)
    {
        Instances = instances;
        Weights = weights;
        Zones = zones;
        long total = 0;
        var enabled = 0;
        foreach (var weight in weights)
        {
            total += weight;
            enabled += weight > 0 ? 1 : 0;
        }

        TotalWeight = total;
        EnabledCount = enabled;
    }

    /// <summary>Gets an empty table.</summary>
    public static InstanceTraits Empty { get; } = new([], [], []);

    /// <summary>Gets the instance strings, by position.</summary>
    public string[] Instances { get; }

    /// <summary>Gets the weights by position: the instance's weight, or 0 when it is disabled.</summary>
    public int[] Weights { get; }

    /// <summary>Gets the zones by position (<see langword="null"/> when the instance names none).</summary>
    public string?[] Zones { get; }

    /// <summary>Gets the sum of <see cref="Weights"/>.</summary>
    public long TotalWeight { get; }

    /// <summary>Gets the number of enabled instances.</summary>
    public int EnabledCount { get; }

    /// <summary>Decodes <paramref name="instances"/>, reusing what <paramref name="previous"/> decoded for the strings it shares.</summary>
    public static InstanceTraits Decode(string[] instances, IInstanceCodec codec, InstanceTraits previous)
    {
        var weights = new int[instances.Length];
        var zones = new string?[instances.Length];
        var old = previous.Instances;
        var i = 0;
        for (var j = 0; j < instances.Length; j++)
        {
            var name = instances[j];
            while (i < old.Length && !ReferenceEquals(old[i], name) && string.CompareOrdinal(old[i], name) < 0)
            {
                i++;
            }

            if (i < old.Length && (ReferenceEquals(old[i], name) || string.Equals(old[i], name, StringComparison.Ordinal)))
            {
                weights[j] = previous.Weights[i];
                zones[j] = previous.Zones[i];
                i++;
                continue;
            }

            var decoded = codec.Decode(name);
            if (decoded.Instance is { } instance)
            {
                weights[j] = instance.Enabled ? instance.Weight : 0;
                zones[j] = instance.Zone;
            }
            else
            {
                weights[j] = 1;
            }
        }

        return new InstanceTraits(instances, weights, zones);
    }
}
