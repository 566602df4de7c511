namespace SdKit.Grpc.Balancing;

/// <summary>
/// The order in which smooth weighted round robin (nginx's) visits subchannels, computed once per picker: every
/// subchannel appears as often as its weight in one cycle, spread out rather than in runs (weights 5, 1, 1 give
/// a a b a c a a). Picking then reads one slot of a fixed array: no lock, no allocation.
/// </summary>
internal static class WeightedSchedule
{
    /// <summary>The longest cycle kept; larger weight sums are scaled down to it, each weight staying at least 1.</summary>
    public const int MaxLength = 4096;

    /// <summary>Returns one cycle of indices into <paramref name="weights"/> (each weight greater than zero).</summary>
    public static int[] Create(IReadOnlyList<int> weights)
    {
        var count = weights.Count;
        var scaled = new int[count];
        long sum = 0;
        for (var i = 0; i < count; i++)
        {
            sum += weights[i];
        }

        var divisor = 0;
        for (var i = 0; i < count; i++)
        {
            scaled[i] = sum <= MaxLength ? weights[i] : (int)Math.Max(1, weights[i] * (long)MaxLength / sum);
            divisor = Gcd(divisor, scaled[i]);
        }

        var total = 0;
        for (var i = 0; i < count; i++)
        {
            scaled[i] /= divisor;
            total += scaled[i];
        }

        var current = new long[count];
        var schedule = new int[total];
        for (var slot = 0; slot < total; slot++)
        {
            var best = 0;
            for (var i = 0; i < count; i++)
            {
                current[i] += scaled[i];
                if (current[i] > current[best])
                {
                    best = i;
                }
            }

            current[best] -= total;
            schedule[slot] = best;
        }

        return schedule;
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
