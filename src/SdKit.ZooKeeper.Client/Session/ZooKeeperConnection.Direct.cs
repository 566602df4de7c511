using System.Net.Sockets;
using SdKit.ZooKeeper.Client.Protocol;

namespace SdKit.ZooKeeper.Client.Session;

/// <summary>
/// The idle fast path: when nothing is queued and nothing is being written, a request is serialized and sent on the
/// caller's thread, saving the hand-off to the write loop (one thread hop less on every lone request).
/// </summary>
internal sealed partial class ZooKeeperConnection
{
    // One writer at a time, fast path or write loop: the pending FIFO must be filled in the order bytes leave.
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly JuteWriter _directWriter = new(4096);
    private volatile bool _acceptsDirect;

    /// <summary>
    /// Sends <paramref name="operation"/> now if the connection is idle. Returns <see langword="false"/> when the request
    /// must go through the queue instead (requests are queued, another write is in progress, or SetWatches is not out yet).
    /// </summary>
    public bool TrySendDirect(Operation operation)
    {
        if (!_acceptsDirect || _session.Requests.Count > 0 || !_sendLock.Wait(0))
        {
            return false;
        }

        var handedOff = false;
        try
        {
            // Checked again under the lock: an earlier request of the same caller may still be queued.
            if (_closed || _session.Requests.Count > 0)
            {
                return false;
            }

            _directWriter.Reset();
            Serialize(operation, _directWriter);
            if (_directWriter.Length == 0)
            {
                return true;
            }

            var sending = _socket.SendAsync(_directWriter.Written, SocketFlags.None, _stop.Token);
            if (sending.IsCompletedSuccessfully)
            {
                Volatile.Write(ref _lastSend, Time.GetTimestamp());
                return true;
            }

            handedOff = true;
            _ = FinishDirectSendAsync(sending);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The request is in the pending FIFO (or was never written): Abort fails it with connection loss.
            Abort(ex);
            return true;
        }
        finally
        {
            if (!handedOff)
            {
                _sendLock.Release();
            }
        }
    }

    private async Task FinishDirectSendAsync(ValueTask<int> sending)
    {
        try
        {
            await sending.ConfigureAwait(false);
            Volatile.Write(ref _lastSend, Time.GetTimestamp());
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            Abort(ex);
        }
        finally
        {
            _sendLock.Release();
        }
    }
}
