namespace SdKit.Outliers;

/// <summary>
/// One endpoint's calls and failures over a sliding interval, in <see cref="Buckets"/> buckets of a tenth of it: the
/// failure-percentage detector's count. Allocated once per endpoint; recording an outcome allocates nothing. Guarded
/// by the outlier balancer's lock.
/// </summary>
internal sealed class FailureWindow
{
    /// <summary>The number of buckets: the counted span is between nine and ten tenths of the interval.</summary>
    public const int Buckets = 10;

    private readonly int[] _calls = new int[Buckets];
    private readonly int[] _failures = new int[Buckets];
    private long _newest = long.MinValue;

    /// <summary>Gets the calls counted in the window.</summary>
    public int Calls { get; private set; }

    /// <summary>Gets the failed calls counted in the window.</summary>
    public int Failures { get; private set; }

    /// <summary>Counts one outcome in bucket number <paramref name="bucket"/> (the timestamp divided by the bucket length).</summary>
    /// <param name="bucket">The absolute bucket number of the outcome; never lower than an earlier call's.</param>
    /// <param name="failed">Whether the call failed.</param>
    public void Record(long bucket, bool failed)
    {
        Advance(bucket);
        var slot = Slot(bucket);
        _calls[slot]++;
        Calls++;
        if (failed)
        {
            _failures[slot]++;
            Failures++;
        }
    }

    /// <summary>Forgets every outcome (after an ejection, so a returning endpoint starts clean).</summary>
    public void Clear()
    {
        Array.Clear(_calls);
        Array.Clear(_failures);
        Calls = 0;
        Failures = 0;
    }

    private static int Slot(long bucket) => (int)(((bucket % Buckets) + Buckets) % Buckets);

    /// <summary>Drops the buckets that have left the window by <paramref name="bucket"/>.</summary>
    private void Advance(long bucket)
    {
        if (bucket <= _newest)
        {
            return;
        }

        if (_newest == long.MinValue || bucket - _newest >= Buckets)
        {
            Clear();
        }
        else
        {
            for (var b = _newest + 1; b <= bucket; b++)
            {
                var slot = Slot(b);
                Calls -= _calls[slot];
                Failures -= _failures[slot];
                _calls[slot] = 0;
                _failures[slot] = 0;
            }
        }

        _newest = bucket;
    }
}
