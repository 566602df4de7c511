namespace SdKit.Soak.Faults;

/// <summary>
/// The seeded choices of a run: which fault comes next, on which target, for how long, and the quiet gap after it.
/// The same seed gives the same sequence of choices; only the timing of the real processes varies.
/// </summary>
internal sealed class FaultPlan(int seed, TimeSpan sessionOrTtl)
{
    private static readonly (FaultKind Kind, int Weight)[] s_weights =
    [
        (FaultKind.MemberKill, 3), (FaultKind.LeaderKill, 2), (FaultKind.MemberPauseShort, 2), (FaultKind.MemberPauseLong, 2),
        (FaultKind.ClientCutShort, 2), (FaultKind.ClientCutLong, 2), (FaultKind.ClientPartition, 1),
        (FaultKind.Deregister, 2), (FaultKind.Reregister, 2), (FaultKind.RegistrantRestart, 1), (FaultKind.RegistrantKill, 2),
    ];

    private readonly Random _random = new(seed);

    public FaultKind NextKind()
    {
        var total = s_weights.Sum(w => w.Weight);
        var pick = _random.Next(total);
        foreach (var (kind, weight) in s_weights)
        {
            if (pick < weight)
            {
                return kind;
            }

            pick -= weight;
        }

        throw new InvalidOperationException("unreachable");
    }

    /// <summary>Picks an index in [0, count).</summary>
    public int Pick(int count) => _random.Next(count);

    /// <summary>How long a short fault lasts: 30 %..70 % of the session timeout or TTL.</summary>
    public TimeSpan ShortHold() => sessionOrTtl * (0.3 + (0.4 * _random.NextDouble()));

    /// <summary>How long a long fault lasts: 130 %..200 % of the session timeout or TTL.</summary>
    public TimeSpan LongHold() => sessionOrTtl * (1.3 + (0.7 * _random.NextDouble()));

    /// <summary>How long a killed member stays down: 0.5 s..1.5 TTL.</summary>
    public TimeSpan DownTime() => TimeSpan.FromSeconds(0.5) + (sessionOrTtl * (1.5 * _random.NextDouble()));

    /// <summary>Extra quiet time after a fault has converged, before the next one: 0..3 s.</summary>
    public TimeSpan ExtraGap() => TimeSpan.FromSeconds(3 * _random.NextDouble());
}
