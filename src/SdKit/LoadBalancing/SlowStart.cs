using SdKit.Endpoints;

namespace SdKit.LoadBalancing;

/// <summary>
/// Slow start: a layer over any balancer that gives a newly added instance a share of the calls that ramps up over a
/// window (Envoy's slow start), so a cold instance (empty caches, code not yet compiled) is not handed a full share at
/// once. Least outstanding and peak EWMA need it most: a new instance has no calls in flight and no latency, so without
/// it they send it more than its share.
/// </summary>
public static class SlowStart
{
    /// <summary>
    /// Wraps <paramref name="balancer"/>, which picks from <paramref name="endpointer"/>: each call leaves a ramping
    /// instance out with probability 1 − its weight factor (see <see cref="SlowStartOptions"/>), and the inner balancer
    /// picks among the rest, so a ramping instance receives about its factor times the share the inner balancer would
    /// give it.
    /// </summary>
    /// <typeparam name="T">The endpoint type.</typeparam>
    /// <param name="endpointer">The endpoints the balancer picks from; the layer watches its set for new instances.</param>
    /// <param name="balancer">The balancer to wrap.</param>
    /// <param name="options">The window, ramp shape and clock; <see langword="null"/> for the defaults. Copied.</param>
    /// <returns>A balancer that ramps new instances up.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static IBalancer<T> Create<T>(IEndpointer<T> endpointer, IBalancer<T> balancer, SlowStartOptions? options = null)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(endpointer);
        ArgumentNullException.ThrowIfNull(balancer);
        options ??= new SlowStartOptions();
        options.Validate();
        return new SlowStartBalancer<T>(endpointer, balancer, options.Clone());
    }
}
