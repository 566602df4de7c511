namespace SdKit.LoadBalancing;

/// <summary>Power of two choices over in-flight counts (non-generic, so shared generic callers call it directly).</summary>
internal static class LoadChoice
{
    /// <summary>Draws two distinct positions and returns the one with fewer calls in flight.</summary>
    public static int Choose(OutstandingCounter[] counters, int length)
    {
        if (length == 1)
        {
            return 0;
        }

        var first = ThreadRandom.Next(length);
        var second = ThreadRandom.Next(length - 1);
        if (second >= first)
        {
            second++;
        }

        return counters[second].InFlight < counters[first].InFlight ? second : first;
    }
}
