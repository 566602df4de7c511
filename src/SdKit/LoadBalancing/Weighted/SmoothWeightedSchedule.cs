using System.Runtime.CompilerServices;
using SdKit.Instances.Codecs;

namespace SdKit.LoadBalancing;

/// <summary>
/// The smooth weighted round robin of one endpoint set: one full period of nginx's sequence, filled in chunks as the
/// shared counter reaches them (so a set change costs one chunk, not a whole period), after which a pick is a
/// counter step and two array reads; or, for a period too long to keep (more than <see cref="MaxPeriod"/> picks or
/// <see cref="MaxBuildSteps"/> class steps), the rotation itself, stepped under a lock on each pick.
/// </summary>
/// <remarks>
/// The period starts at the counter's value when the schedule is built, so a new set's sequence starts from its
/// beginning (nginx starts over on a reconfiguration too) while the counter stays one shared rotation.
/// </remarks>
internal sealed class SmoothWeightedSchedule
{
    /// <summary>The longest period kept as an array (512 KB of positions).</summary>
    internal const long MaxPeriod = 1 << 17;

    /// <summary>The most class steps a kept period may take to compute, all chunks together.</summary>
    internal const long MaxBuildSteps = 1 << 24;

    /// <summary>About how many class steps one chunk takes (some 50–100 µs here).</summary>
    private const int ChunkSteps = 1 << 14;

    private readonly SmoothWeightedRotation _rotation;
    private readonly int _chunk;
    private int _computed;

    private SmoothWeightedSchedule(object? set, InstanceTraits traits, SmoothWeightedRotation rotation, bool keep, int start)
    {
        Set = set;
        Traits = traits;
        EnabledCount = traits.EnabledCount;
        _rotation = rotation;
        Sequence = keep ? new int[rotation.Period] : null;
        ModMultiplier = Sequence is null || Sequence.Length == 0 ? 0 : (ulong.MaxValue / (uint)Sequence.Length) + 1;
        Start = (uint)start;
        _chunk = Math.Max(16, ChunkSteps / Math.Max(1, rotation.Classes));
    }

    /// <summary>Gets the endpoint set this schedule belongs to (compared by reference on every pick).</summary>
    public object? Set { get; }

    /// <summary>Gets the decoded weights the schedule was built from.</summary>
    public InstanceTraits Traits { get; }

    /// <summary>Gets the number of enabled instances (<see cref="InstanceTraits.EnabledCount"/>, one load nearer the pick).</summary>
    public int EnabledCount { get; }

    /// <summary>Gets one period of positions (filled up to the computed part), or <see langword="null"/> when the period is too long to keep.</summary>
    public int[]? Sequence { get; }

    /// <summary>Gets the multiplier for a position in <see cref="Sequence"/> without a division (see <c>EndpointSet.ModMultiplier</c>).</summary>
    public ulong ModMultiplier { get; }

    /// <summary>Gets the counter value at which the period starts.</summary>
    public uint Start { get; }

    /// <summary>Creates the first schedule of a balancer, for its empty set.</summary>
    public static SmoothWeightedSchedule First(object emptySet) => new(emptySet, InstanceTraits.Empty, new SmoothWeightedRotation([]), keep: true, 0);

    /// <summary>
    /// Builds the schedule of <paramref name="set"/>, its period starting at <paramref name="counter"/>'s current value,
    /// and publishes it unless another thread replaced <paramref name="seen"/> first.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static SmoothWeightedSchedule Rebuild(ref SmoothWeightedSchedule field, SmoothWeightedSchedule seen, object set, string[] instances, IInstanceCodec codec, ref int counter)
    {
        var traits = InstanceTraits.Decode(instances, codec, seen.Traits);
        var rotation = new SmoothWeightedRotation(traits.Weights);
        var keep = rotation.Period <= MaxPeriod && rotation.Period * rotation.Classes <= MaxBuildSteps;
        var built = new SmoothWeightedSchedule(set, traits, rotation, keep, Volatile.Read(ref counter));
        Interlocked.CompareExchange(ref field, built, seen);
        return built;
    }

    /// <summary>Returns the next position: the shared <paramref name="counter"/>'s step in the period, or the live rotation's next.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Next(ref int counter)
    {
        var sequence = Sequence;
        if (sequence is null)
        {
            return NextLive();
        }

        var n = (uint)(Interlocked.Increment(ref counter) - 1) - Start;
        var position = (int)Math.BigMul(ModMultiplier * n, (ulong)(uint)sequence.Length, out _);

        // Acquire: the positions below the computed count were written before it was published.
        return position < Volatile.Read(ref _computed) ? sequence[position] : Fill(position);
    }

    /// <summary>Computes the period up to and past <paramref name="position"/> (one chunk at least), then returns it.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private int Fill(int position)
    {
        var sequence = Sequence!;
        lock (_rotation)
        {
            var done = _computed;
            if (position >= done)
            {
                var target = (int)Math.Min(sequence.Length, Math.Max(position + 1L, (long)done + _chunk));
                for (var i = done; i < target; i++)
                {
                    sequence[i] = _rotation.Next();
                }

                Volatile.Write(ref _computed, target);
            }
        }

        return sequence[position];
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int NextLive()
    {
        lock (_rotation)
        {
            return _rotation.Next();
        }
    }
}
