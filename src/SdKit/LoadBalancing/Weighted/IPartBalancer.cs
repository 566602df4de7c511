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
    T PickFrom(EndpointSet<T> set);
}
