namespace SdKit.LoadBalancing;

/// <summary>
/// nginx's smooth weighted round robin, stepped over weight classes instead of instances: the same sequence, at a cost
/// per step of the number of distinct weights rather than the number of instances.
/// </summary>
/// <remarks>
/// <para>nginx adds every peer's weight to its current weight, takes the peer with the largest current weight (the
/// first one on a tie) and subtracts the total from it. After t steps a peer of weight w picked k times has current
/// weight t·w − W·k. Among peers of one weight the one picked least (the first of those on a tie) has the largest
/// value, so within a class the picks simply rotate in position order, and a step only needs each class's next peer
/// and its value: (t + 1)·w − W·(full rounds of the class).</para>
/// <para>Weights are divided by their greatest common divisor first (the sequence does not change: every current
/// weight scales by it), so the period is the reduced total W. After W steps every current weight is 0 again and
/// the state starts over, which also keeps the arithmetic bounded.</para>
/// </remarks>
internal sealed class SmoothWeightedRotation
{
    private readonly long[] _weights;
    private readonly int[][] _members;
    private readonly long[] _rounds;
    private readonly int[] _next;
    private long _step;

    public SmoothWeightedRotation(int[] weights)
    {
        var divisor = 0;
        foreach (var weight in weights)
        {
            divisor = weight > 0 ? Gcd(divisor, weight) : divisor;
        }

        // Grouped by weight with a hash map (a sorted map costs a tree walk per instance: most of a 10,000-instance
        // build); the order of the classes does not matter, ties are settled by position.
        var classes = new Dictionary<int, List<int>>();
        for (var i = 0; i < weights.Length; i++)
        {
            if (weights[i] > 0)
            {
                var reduced = weights[i] / divisor;
                if (!classes.TryGetValue(reduced, out var members))
                {
                    classes[reduced] = members = [];
                }

                members.Add(i);
                Period += reduced;
            }
        }

        _weights = [.. classes.Keys.Select(k => (long)k)];
        _members = [.. classes.Values.Select(m => m.ToArray())];
        _rounds = new long[_weights.Length];
        _next = new int[_weights.Length];
    }

    /// <summary>Gets the length of one full rotation: the sum of the reduced weights (0 when nothing is enabled).</summary>
    public long Period { get; }

    /// <summary>Gets the number of distinct weights, the cost of one step.</summary>
    public int Classes => _weights.Length;

    /// <summary>Returns the position of the next pick (the caller serializes calls).</summary>
    public int Next()
    {
        var best = -1;
        long bestValue = 0;
        var bestPosition = 0;
        for (var c = 0; c < _weights.Length; c++)
        {
            // The class has been picked rounds * members + next times: its next member has been picked 'rounds' times.
            var value = ((_step + 1) * _weights[c]) - (Period * _rounds[c]);
            var position = _members[c][_next[c]];
            if (best < 0 || value > bestValue || (value == bestValue && position < bestPosition))
            {
                best = c;
                bestValue = value;
                bestPosition = position;
            }
        }

        if (++_next[best] == _members[best].Length)
        {
            _next[best] = 0;
            _rounds[best]++;
        }

        if (++_step == Period)
        {
            _step = 0;
            Array.Clear(_rounds);
            Array.Clear(_next);
        }

        return bestPosition;
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
