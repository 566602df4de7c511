using SdKit.Endpoints;
using SdKit.Instances.Codecs;

namespace SdKit.LoadBalancing;

/// <summary>Creates the built-in balancers over an <see cref="IEndpointer{T}"/>.</summary>
public static class Balancers
{
    /// <summary>Creates a balancer that picks uniformly at random; thread-safe without locks.</summary>
    /// <typeparam name="T">The endpoint type.</typeparam>
    /// <param name="endpointer">The endpoints to pick from.</param>
    /// <returns>The balancer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpointer"/> is <see langword="null"/>.</exception>
    public static IBalancer<T> Random<T>(IEndpointer<T> endpointer)
    {
        ArgumentNullException.ThrowIfNull(endpointer);
        return new RandomBalancer<T>(endpointer);
    }

    /// <summary>
    /// Creates a balancer that cycles through the endpoints with one shared counter (go-kit's round robin): every
    /// caller, on whatever thread its continuations run, sees one global rotation.
    /// </summary>
    /// <typeparam name="T">The endpoint type.</typeparam>
    /// <param name="endpointer">The endpoints to pick from.</param>
    /// <returns>The balancer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpointer"/> is <see langword="null"/>.</exception>
    public static IBalancer<T> RoundRobin<T>(IEndpointer<T> endpointer)
    {
        ArgumentNullException.ThrowIfNull(endpointer);
        return new RoundRobinBalancer<T>(endpointer);
    }

    /// <summary>
    /// Creates a balancer that draws two endpoints at random and takes the one with fewer calls in flight, counted
    /// through <see cref="IBalancer{T}.Acquire"/> and <see cref="BalancerLease{T}.Complete"/> (as
    /// <see cref="Retry"/> does). A plain <see cref="IBalancer{T}.Pick"/> reads the counts but does not change them.
    /// </summary>
    /// <typeparam name="T">The endpoint type.</typeparam>
    /// <param name="endpointer">The endpoints to pick from.</param>
    /// <returns>The balancer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpointer"/> is <see langword="null"/>.</exception>
    public static IBalancer<T> LeastOutstanding<T>(IEndpointer<T> endpointer)
    {
        ArgumentNullException.ThrowIfNull(endpointer);
        return new LeastOutstandingBalancer<T>(endpointer);
    }

    /// <summary>
    /// Creates a latency-aware balancer (Finagle's peak EWMA with power of two choices): two endpoints drawn at random,
    /// the one with the lower cost taken, where cost is a latency average that jumps to any new peak and decays over
    /// <see cref="PeakEwmaOptions.DecayTime"/>, times (calls in flight + 1). Latencies and in-flight counts come from
    /// <see cref="IBalancer{T}.Acquire"/> and <see cref="BalancerLease{T}.Complete"/> (as <see cref="Retry"/> does).
    /// </summary>
    /// <typeparam name="T">The endpoint type.</typeparam>
    /// <param name="endpointer">The endpoints to pick from.</param>
    /// <param name="options">Decay time and clock; <see langword="null"/> for the defaults. Copied.</param>
    /// <returns>The balancer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpointer"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static IBalancer<T> PeakEwma<T>(IEndpointer<T> endpointer, PeakEwmaOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endpointer);
        options ??= new PeakEwmaOptions();
        options.Validate();
        return new PeakEwmaBalancer<T>(endpointer, options.Clone());
    }

    /// <summary>
    /// Creates a balancer that picks at random in proportion to each instance's <see cref="Instances.ServiceInstance.Weight"/>
    /// (Walker's alias method: constant time whatever the set's size). Disabled instances are never picked. The
    /// instance strings are decoded with <paramref name="codec"/> once per endpoint set; a string that does not
    /// decode counts as weight 1, enabled, with no zone.
    /// </summary>
    /// <typeparam name="T">The endpoint type.</typeparam>
    /// <param name="endpointer">The endpoints to pick from.</param>
    /// <param name="codec">Decodes each endpoint's instance string (<see cref="EndpointSet{T}.Instances"/>).</param>
    /// <returns>The balancer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpointer"/> or <paramref name="codec"/> is <see langword="null"/>.</exception>
    public static IBalancer<T> WeightedRandom<T>(IEndpointer<T> endpointer, IInstanceCodec codec)
    {
        ArgumentNullException.ThrowIfNull(endpointer);
        ArgumentNullException.ThrowIfNull(codec);
        return new WeightedRandomBalancer<T>(endpointer, codec);
    }

    /// <summary>
    /// Creates nginx's smooth weighted round robin: over weights 5, 1, 1 the picks go a, a, b, a, c, a, a, one shared
    /// rotation for every caller (as <see cref="RoundRobin{T}"/>). Disabled instances are never picked. Weights are
    /// decoded with <paramref name="codec"/> once per endpoint set, and the period computed then; a string that does
    /// not decode counts as weight 1, enabled.
    /// </summary>
    /// <typeparam name="T">The endpoint type.</typeparam>
    /// <param name="endpointer">The endpoints to pick from.</param>
    /// <param name="codec">Decodes each endpoint's instance string.</param>
    /// <returns>The balancer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpointer"/> or <paramref name="codec"/> is <see langword="null"/>.</exception>
    public static IBalancer<T> SmoothWeightedRoundRobin<T>(IEndpointer<T> endpointer, IInstanceCodec codec)
    {
        ArgumentNullException.ThrowIfNull(endpointer);
        ArgumentNullException.ThrowIfNull(codec);
        return new SmoothWeightedRoundRobinBalancer<T>(endpointer, codec);
    }

    /// <summary>
    /// Creates a weighted power of two choices: two endpoints drawn in proportion to their weights, the one with fewer
    /// calls in flight per unit of weight taken. Calls are counted as by <see cref="LeastOutstanding{T}"/> (through
    /// <see cref="IBalancer{T}.Acquire"/> and <see cref="BalancerLease{T}.Complete"/>). Disabled instances are never
    /// picked; a string that does not decode counts as weight 1, enabled.
    /// </summary>
    /// <typeparam name="T">The endpoint type.</typeparam>
    /// <param name="endpointer">The endpoints to pick from.</param>
    /// <param name="codec">Decodes each endpoint's instance string.</param>
    /// <returns>The balancer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpointer"/> or <paramref name="codec"/> is <see langword="null"/>.</exception>
    public static IBalancer<T> WeightedLeastOutstanding<T>(IEndpointer<T> endpointer, IInstanceCodec codec)
    {
        ArgumentNullException.ThrowIfNull(endpointer);
        ArgumentNullException.ThrowIfNull(codec);
        return new WeightedLeastOutstandingBalancer<T>(endpointer, codec);
    }

    /// <summary>
    /// Creates zone-aware routing over any balancer (Envoy's zone-aware routing): with <c>u</c> the caller's zone's
    /// share of the capacity (the enabled instances' weights) and <c>l</c> its share of the callers
    /// (<see cref="ZoneAwareOptions.LocalCallerShare"/>), every pick stays in the zone while <c>u ≥ l</c>; otherwise
    /// a fraction <c>u / l</c> stays and the rest goes to the zones with residual capacity (capacity share above the
    /// callers' share each is expected to serve, <c>(1 − l)</c> split evenly over the other zones), in proportion to
    /// that residual, so that every zone ends up loaded by its capacity. Below
    /// <see cref="ZoneAwareOptions.MinClusterSize"/> enabled instances zones are ignored. Disabled instances are never
    /// picked; a string that does not decode counts as weight 1 with no zone (so it is never local).
    /// </summary>
    /// <typeparam name="T">The endpoint type.</typeparam>
    /// <param name="endpointer">The endpoints to pick from.</param>
    /// <param name="codec">Decodes each endpoint's instance string for its zone and weight.</param>
    /// <param name="options">The caller's zone and the rule's parameters. Copied.</param>
    /// <param name="balancer">
    /// Makes the balancer that picks within one part: called twice at once (the local zone, all enabled endpoints)
    /// and once more for each other zone the first time it takes spilled picks (kept from then on);
    /// <see langword="null"/> for <see cref="WeightedRandom{T}"/> with <paramref name="codec"/>.
    /// </param>
    /// <returns>The balancer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpointer"/>, <paramref name="codec"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is invalid (see <see cref="ZoneAwareOptions.Validate"/>).</exception>
    /// <exception cref="InvalidOperationException"><paramref name="balancer"/> returned <see langword="null"/>.</exception>
    public static IBalancer<T> ZoneAware<T>(IEndpointer<T> endpointer, IInstanceCodec codec, ZoneAwareOptions options, Func<IEndpointer<T>, IBalancer<T>>? balancer = null)
    {
        ArgumentNullException.ThrowIfNull(endpointer);
        ArgumentNullException.ThrowIfNull(codec);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new ZoneAwareBalancer<T>(endpointer, codec, options.Clone(), balancer ?? (part => new WeightedRandomBalancer<T>(part, codec)));
    }
}
