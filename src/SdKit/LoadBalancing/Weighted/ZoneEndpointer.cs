using System.Reactive.Linq;
using SdKit.Endpoints;

namespace SdKit.LoadBalancing;

/// <summary>One part of the zone-aware balancer's split (the caller's zone, one other zone, or all enabled) as an endpointer, for the inner balancers.</summary>
/// <typeparam name="T">The endpoint type.</typeparam>
internal sealed class ZoneEndpointer<T>(ZoneAwareBalancer<T> owner, ZoneEndpointer<T>.Part part, string? zone = null) : IEndpointer<T>
{
    /// <summary>Which part of the split.</summary>
    internal enum Part
    {
        Local,
        Zone,
        Enabled,
    }

    /// <inheritdoc/>
    public EndpointSet<T> Current => owner.CurrentSplit().PartFor(part, zone);

    /// <inheritdoc/>
    public IReadOnlyList<T> Endpoints
    {
        get
        {
            var set = Current;
            set.ThrowIfUnavailable();
            return set;
        }
    }

    /// <inheritdoc/>
    public IDisposable Subscribe(IObserver<IReadOnlyList<T>> observer) => owner.Endpointer.Select(_ => (IReadOnlyList<T>)Current).Subscribe(observer);

    /// <summary>Does nothing: the part owns nothing.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
