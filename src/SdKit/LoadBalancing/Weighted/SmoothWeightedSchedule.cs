using System.Runtime.CompilerServices;
using SdKit.Instances.Codecs;

namespace SdKit.LoadBalancing;

/// <summary>
/// The smooth weighted round robin of one endpoint set: one full period of nginx's sequence, computed when the set is
/// first seen, so a pick is a shared counter step and two array reads; or, for a period too long to keep
/// (more than <see cref="MaxPeriod"/> picks or <see cref="MaxBuildSteps"/> class steps), the rotation itself, stepped
/// under a lock on each pick.
/// </summary>
internal sealed class SmoothWeightedSchedule
{
    /// <summary>The longest period kept as an array (512 KB of positions).</summary>
    internal const long MaxPeriod = 1 << 17;

    /// <summary>The most class steps spent computing a period when the set is first seen.</summary>
    internal const long MaxBuildSteps = 1 << 24;

    private SmoothWeightedSchedule(object? set, InstanceTraits traits, int[]? sequence, SmoothWeightedRotation? live)
    {
        Set = set;
        Traits = traits;
        Sequence = sequence;
        Live = live;
        ModMultiplier = sequence is null || sequence.Length == 0 ? 0 : (ulong.MaxValue / (uint)sequence.Length) + 1;
    }

    /// <summary>Gets the endpoint set this schedule belongs to (compared by reference on every pick).</summary>
    public object? Set { get; }

    /// <summary>Gets the decoded weights the schedule was built from.</summary>
    public InstanceTraits Traits { get; }

    /// <summary>Gets one period of positions, or <see langword="null"/> when the period is too long to keep.</summary>
    public int[]? Sequence { get; }

    /// <summary>Gets the multiplier for a position in <see cref="Sequence"/> without a division (see <c>EndpointSet.ModMultiplier</c>).</summary>
    public ulong ModMultiplier { get; }

    /// <summary>Gets the rotation stepped per pick under its own lock, when <see cref="Sequence"/> is <see langword="null"/>.</summary>
    public SmoothWeightedRotation? Live { get; }

    /// <summary>Creates the first schedule of a balancer, for its empty set.</summary>
    public static SmoothWeightedSchedule First(object emptySet) => new(emptySet, InstanceTraits.Empty, [], null);

    /// <summary>Builds the schedule of <paramref name="set"/> and publishes it unless another thread replaced <paramref name="seen"/> first.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static SmoothWeightedSchedule Rebuild(ref SmoothWeightedSchedule field, SmoothWeightedSchedule seen, object set, string[] instances, IInstanceCodec codec)
    {
        var traits = InstanceTraits.Decode(instances, codec, seen.Traits);
        var rotation = new SmoothWeightedRotation(traits.Weights);
        SmoothWeightedSchedule built;
        if (rotation.Period <= MaxPeriod && rotation.Period * rotation.Classes <= MaxBuildSteps)
        {
            var sequence = new int[rotation.Period];
            for (var i = 0; i < sequence.Length; i++)
            {
                sequence[i] = rotation.Next();
            }

            built = new SmoothWeightedSchedule(set, traits, sequence, null);
        }
        else
        {
            built = new SmoothWeightedSchedule(set, traits, null, rotation);
        }

        Interlocked.CompareExchange(ref field, built, seen);
        return built;
    }

    /// <summary>Returns the next position: the shared <paramref name="counter"/>'s step in the period, or the live rotation's next.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Next(ref int counter)
    {
        var sequence = Sequence;
        if (sequence is not null)
        {
            return sequence[Rotation.Position(ref counter, ModMultiplier, sequence.Length)];
        }

        return NextLive();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int NextLive()
    {
        var live = Live!;
        lock (live)
        {
            return live.Next();
        }
    }
}
