using SdKit.ZooKeeper.Client.Protocol.Requests;

namespace SdKit.ZooKeeper.Client.Session;

/// <summary>
/// Keeps the session alive and the connection honest: a ping when nothing was sent for a third of the negotiated
/// timeout, and connection loss when nothing was received for two thirds of it.
/// </summary>
internal sealed partial class ZooKeeperConnection
{
    private static readonly TimeSpan MinimumTick = TimeSpan.FromMilliseconds(10);

    private async Task MonitorAsync(CancellationToken cancellationToken)
    {
        var pingInterval = TimeSpan.FromMilliseconds(NegotiatedTimeoutMs / 3.0);
        var readTimeout = TimeSpan.FromMilliseconds(NegotiatedTimeoutMs * 2 / 3.0);
        while (!cancellationToken.IsCancellationRequested)
        {
            var sinceReceive = Time.GetElapsedTime(Volatile.Read(ref _lastReceive));
            if (sinceReceive >= readTimeout)
            {
                throw new TimeoutException($"The server {Server} sent nothing for {sinceReceive.TotalMilliseconds:0} ms (read timeout {readTimeout.TotalMilliseconds:0} ms).");
            }

            var sinceSend = Time.GetElapsedTime(Volatile.Read(ref _lastSend));
            if (sinceSend >= pingInterval)
            {
                _session.EnqueuePing();
                Volatile.Write(ref _lastSend, Time.GetTimestamp());
                sinceSend = TimeSpan.Zero;
            }

            var next = TimeSpan.FromTicks(Math.Min((pingInterval - sinceSend).Ticks, (readTimeout - sinceReceive).Ticks));
            await Task.Delay(next < MinimumTick ? MinimumTick : next, Time, cancellationToken).ConfigureAwait(false);
        }
    }
}
