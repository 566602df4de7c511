using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace SdKit.InMemory;

/// <summary>
/// One watch of one service path: holds only the newest snapshot (each one is complete, so older ones can be
/// dropped), and ends with an exception when the owning client disconnects or closes.
/// </summary>
internal sealed class InMemoryWatcher(InMemoryDiscoveryClient owner, string servicePath)
{
    private readonly Channel<string[]> _snapshots = Channel.CreateBounded<string[]>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public InMemoryDiscoveryClient Owner { get; } = owner;

    public string ServicePath { get; } = servicePath;

    public void Offer(string[] snapshot) => _snapshots.Writer.TryWrite(snapshot);

    public void Fail(Exception error) => _snapshots.Writer.TryComplete(error);

    /// <summary>Waits for the next snapshot; throws the exception the watch failed with.</summary>
    public async ValueTask<string[]> NextAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _snapshots.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException closed) when (closed.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(closed.InnerException);
            throw;
        }
    }
}
