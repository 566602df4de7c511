using SdKit.Endpoints;

namespace SdKit.LoadBalancing;

/// <summary>
/// A built-in balancer that can pick from a set handed to it, so the zone-aware balancer picks within a part without
/// a second interface call to read the part's set through an endpointer.
/// </summary>
/// <typeparam name="T">The endpoint type.</typeparam>
internal interface IPartBalancer<T>
{
    /// <summary>Picks one endpoint of <paramref name="set"/>, as <see cref="IBalancer{T}.Pick"/> picks from its endpointer's current set.</summary>
    /// <param name="set">The part's set.</param>
    /// <param name="bits">64 random bits whose low half the caller has used already (the high half is fresh).</param>
    /// <returns>The endpoint.</returns>
    T PickFrom(EndpointSet<T> set, ulong bits);
}
