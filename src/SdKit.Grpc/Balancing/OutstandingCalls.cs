using Grpc.Net.Client.Balancer;

namespace SdKit.Grpc.Balancing;

/// <summary>
/// The calls in flight on one subchannel, counted by the channel itself: it calls <see cref="Start"/> when a call
/// picked for the subchannel starts and <see cref="Complete"/> when it ends. One counter lives as long as its
/// subchannel, so counts survive the new picker every subchannel state change brings.
/// </summary>
internal sealed class OutstandingCalls : ISubchannelCallTracker
{
    private int _count;

    /// <summary>Gets the calls in flight now (a moment-old value is as good for a choice).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <inheritdoc/>
    public void Start() => Interlocked.Increment(ref _count);

    /// <inheritdoc/>
    public void Complete(CompletionContext context) => Interlocked.Decrement(ref _count);
}
