namespace SdKit.LoadBalancing;

/// <summary>A small number fixed per thread, handed out in turn, so threads pick different stripes.</summary>
internal static class ThreadStripe
{
    private static int s_next;

    [ThreadStatic]
    private static int t_index;

    /// <summary>Gets this thread's stripe number (from 1; callers mask it).</summary>
    public static int Index
    {
        get
        {
            var index = t_index;
            return index != 0 ? index : Assign();
        }
    }

    private static int Assign()
    {
        // 0 marks "not assigned yet"; skip it when the counter wraps.
        var next = Interlocked.Increment(ref s_next);
        if (next == 0)
        {
            next = Interlocked.Increment(ref s_next);
        }

        t_index = next;
        return next;
    }
}
