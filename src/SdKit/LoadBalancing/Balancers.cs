using SdKit.Endpoints;

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
}
