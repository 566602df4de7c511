using System.Buffers;
using System.Buffers.Binary;
using SdKit.ZooKeeper.Client.Protocol;

namespace SdKit.ZooKeeper.Client.Session;

/// <summary>The read loop: frames out of one growing buffer, each reply matched to the head of the pending FIFO.</summary>
internal sealed partial class ZooKeeperConnection
{
    private async Task ReadLoopAsync(CancellationToken cancellationToken)
    {
        var maxFrame = _session.Options.MaxFrameSize;
        _readBuffer = ArrayPool<byte>.Shared.Rent(InitialReadBuffer);
        while (true)
        {
            if (_readEnd == _readBuffer.Length)
            {
                MakeRoom(_readBuffer.Length * 2);
            }

            var read = await _socket.ReceiveAsync(_readBuffer.AsMemory(_readEnd), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException($"The server {Server} closed the connection.");
            }

            _readEnd += read;
            Volatile.Write(ref _lastReceive, Time.GetTimestamp());
            while (_readEnd - _readStart >= 4)
            {
                var length = BinaryPrimitives.ReadInt32BigEndian(_readBuffer.AsSpan(_readStart));
                if (length > maxFrame)
                {
                    throw new ZooKeeperProtocolException($"The server {Server} announced a frame of {length:N0} bytes, above the limit of {maxFrame:N0} (MaxFrameSize).");
                }

                if (length < 16)
                {
                    throw new ZooKeeperProtocolException($"The server {Server} sent a frame length of {length} that is not a ZooKeeper reply (a reply is at least 16 bytes).");
                }

                if (_readEnd - _readStart - 4 < length)
                {
                    if (length + 4 > _readBuffer.Length)
                    {
                        MakeRoom(length + 4);
                    }

                    break;
                }

                ProcessFrame(_readBuffer.AsSpan(_readStart + 4, length));
                _readStart += 4 + length;
            }

            if (_readStart == _readEnd)
            {
                _readStart = _readEnd = 0;
            }
        }
    }

    /// <summary>Moves the unread bytes to the front of a buffer of at least <paramref name="capacity"/> bytes.</summary>
    private void MakeRoom(int capacity)
    {
        var unread = _readEnd - _readStart;
        if (_readStart > 0 && capacity <= _readBuffer.Length)
        {
            _readBuffer.AsSpan(_readStart, unread).CopyTo(_readBuffer);
        }
        else
        {
            var grown = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, unread));
            _readBuffer.AsSpan(_readStart, unread).CopyTo(grown);
            ArrayPool<byte>.Shared.Return(_readBuffer);
            _readBuffer = grown;
        }

        _readStart = 0;
        _readEnd = unread;
    }

    /// <summary>Handles one reply frame; a malformed frame throws <see cref="ZooKeeperProtocolException"/>, which ends the connection.</summary>
    internal void ProcessFrame(ReadOnlySpan<byte> frame)
    {
        var reader = new JuteReader(frame);
        var header = ReplyHeader.Read(ref reader);
        switch (header.Xid)
        {
            case SpecialXid.Notification:
                _session.OnNotification(WatcherEvent.Read(ref reader));
                return;
            case SpecialXid.Ping:
                _session.OnZxid(header.Zxid);
                return;
            case SpecialXid.Auth:
                CompleteAuth(header, ref reader);
                return;
        }

        Operation? operation;
        lock (_pendingLock)
        {
            _pending.TryDequeue(out operation);
        }

        if (operation is null || operation.Xid != header.Xid)
        {
            var expected = operation is null ? "no pending request" : $"xid {operation.Xid}";
            if (operation is not null)
            {
                operation.Fail(ZooKeeperSession.FailureFor(operation, new ZooKeeperProtocolException("Reply out of order."), Server));
            }

            throw new ZooKeeperProtocolException($"The server {Server} answered xid {header.Xid} while {expected} was next.");
        }

        _session.OnZxid(header.Zxid);
        if (operation.Watch is { } watch)
        {
            _session.Watches.Register(watch, header.Error);
        }

        try
        {
            operation.Complete(header.Error, ref reader);
        }
        catch (ZooKeeperProtocolException ex)
        {
            operation.Fail(ZooKeeperSession.FailureFor(operation, ex, Server));
            throw;
        }
    }

    private void CompleteAuth(ReplyHeader header, ref JuteReader reader)
    {
        Operation? auth;
        lock (_pendingLock)
        {
            _pendingAuth.TryDequeue(out auth);
        }

        if (header.Error == ZooKeeperErrorCode.Ok)
        {
            auth?.Complete(header.Error, ref reader);
            return;
        }

        // The server closes the connection after refusing credentials. Credentials added at run time were not kept,
        // so the session carries on over a new connection; only the caller of AddAuthAsync sees the refusal.
        var refused = new AuthFailedException(null, $"The server {Server} refused the credentials ({header.Error}).");
        if (auth is null)
        {
            throw refused;
        }

        auth.Fail(refused);
        throw new IOException(refused.Message, refused);
    }
}
