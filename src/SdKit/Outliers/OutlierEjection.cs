using SdKit.Endpoints;
using SdKit.LoadBalancing;

namespace SdKit.Outliers;

/// <summary>
/// Passive outlier ejection: a layer over any balancer that leaves out, for a while, the instances whose calls keep
/// failing, as seen through <see cref="BalancerLease{T}.Complete"/> (which <see cref="Retry"/> calls).
/// </summary>
public static class OutlierEjection
{
    /// <summary>Wraps <paramref name="balancer"/>, which picks from <paramref name="endpointer"/>.</summary>
    /// <typeparam name="T">The endpoint type.</typeparam>
    /// <param name="endpointer">The endpoints the balancer picks from (their count bounds the ejected fraction).</param>
    /// <param name="balancer">The balancer to wrap.</param>
    /// <param name="options">The detector and ejection options; <see langword="null"/> for the defaults. Copied.</param>
    /// <returns>A balancer that avoids ejected instances.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static IBalancer<T> Create<T>(IEndpointer<T> endpointer, IBalancer<T> balancer, OutlierOptions? options = null)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(endpointer);
        ArgumentNullException.ThrowIfNull(balancer);
        options ??= new OutlierOptions();
        options.Validate();
        return new OutlierBalancer<T>(endpointer, balancer, options.Clone());
    }
}
