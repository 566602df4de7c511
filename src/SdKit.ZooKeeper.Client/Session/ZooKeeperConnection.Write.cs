using SdKit.ZooKeeper.Client.Protocol;
using SdKit.ZooKeeper.Client.Protocol.Requests;

namespace SdKit.ZooKeeper.Client.Session;

/// <summary>
/// The write loop: takes every request already queued, serializes them back to back into one buffer and sends it in
/// one call, so many concurrent callers cost few system calls. A request joins the pending FIFO before its bytes leave.
/// </summary>
internal sealed partial class ZooKeeperConnection
{
    private const int FlushThreshold = 64 * 1024;

    private async Task WriteLoopAsync(IReadOnlyList<Operation> first, CancellationToken cancellationToken)
    {
        using var writer = new JuteWriter();
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var operation in first)
            {
                Serialize(operation, writer);
            }

            if (writer.Length > 0)
            {
                await SendAsync(writer, cancellationToken).ConfigureAwait(false);
            }

            _acceptsDirect = true;
        }
        finally
        {
            _sendLock.Release();
        }

        var source = _session.Requests;
        while (await source.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                writer.Reset();
                while (writer.Length < FlushThreshold && source.TryRead(out var operation))
                {
                    Serialize(operation, writer);
                }

                if (writer.Length > 0)
                {
                    await SendAsync(writer, cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                _sendLock.Release();
            }
        }
    }

    private async Task SendAsync(JuteWriter writer, CancellationToken cancellationToken)
    {
        await _socket.SendAsync(writer.Written, cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _lastSend, Time.GetTimestamp());
    }

    private void Serialize(Operation operation, JuteWriter writer)
    {
        if (operation.IsCompleted)
        {
            return;
        }

        if (operation is not PingOperation && operation.Generation != _session.Generation)
        {
            operation.Fail(new SessionExpiredException(operation.Path, $"The session expired before the request for '{operation.Path}' was sent."));
            return;
        }

        var start = writer.BeginFrame();
        int xid;
        Queue<Operation>? queue;
        switch (operation)
        {
            case PingOperation:
                xid = SpecialXid.Ping;
                queue = null;
                break;
            case AuthOperation:
                xid = SpecialXid.Auth;
                queue = _pendingAuth;
                break;
            default:
                xid = NextXid();
                queue = _pending;
                break;
        }

        try
        {
            writer.WriteInt(xid);
            writer.WriteInt((int)operation.OpCode);
            operation.WriteBody(writer);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or OverflowException)
        {
            writer.Truncate(start);
            operation.Fail(ex);
            return;
        }

        var length = writer.EndFrame(start);
        var limit = _session.Options.MaxRequestSize;
        if (length > limit)
        {
            writer.Truncate(start);
            operation.Fail(new ArgumentException($"The request for '{operation.Path}' is {length} bytes, over the {limit}-byte limit (MaxRequestSize, the server's jute.maxbuffer)."));
            return;
        }

        if (queue is null)
        {
            return;
        }

        operation.Xid = xid;
        lock (_pendingLock)
        {
            if (!_closed)
            {
                queue.Enqueue(operation);
                return;
            }
        }

        writer.Truncate(start);
        operation.Fail(new ConnectionLossException(operation.Path, $"The connection to {Server} closed before the request for '{operation.Path}' was sent."));
    }
}
