using System.Buffers.Binary;
using SdKit.ZooKeeper.Client.Protocol;
using SdKit.ZooKeeper.Client.Protocol.Requests;

namespace SdKit.ZooKeeper.Client.Session;

/// <summary>The handshake: ConnectRequest, ConnectResponse, then one auth packet per credential, before any request.</summary>
internal sealed partial class ZooKeeperConnection
{
    private async Task HandshakeAsync(CancellationToken cancellationToken)
    {
        var options = _session.Options;
        using var writer = new JuteWriter(256);
        new ConnectRequest(_session.LastZxid, (int)options.SessionTimeout.TotalMilliseconds, _session.ResumableSessionId, _session.Password, options.CanBeReadOnly).Write(writer);

        // Nothing else is written until the answer is read: for an expired session the server answers and closes at
        // once, and further writes could turn that close into a reset that discards the answer.
        await _socket.SendAsync(writer.Written, cancellationToken).ConfigureAwait(false);
        var frame = await ReadHandshakeFrameAsync(cancellationToken).ConfigureAwait(false);
        if (frame.Length == 16)
        {
            // Some servers answer a ConnectRequest they refuse with a bare ReplyHeader: a read-only server asked for a
            // new global session sends NotReadOnly (it can only create local sessions, with localSessionsEnabled).
            var refusal = ReadHeader(frame);
            throw ZooKeeperException.Create(refusal.Error, null, $"The server {Server} refused to open or resume the session: {refusal.Error} ({(int)refusal.Error}).");
        }

        ConnectResponse response;
        try
        {
            response = ConnectResponse.Read(frame);
        }
        catch (ZooKeeperProtocolException ex)
        {
            throw new ZooKeeperProtocolException($"The handshake answer of {frame.Length} bytes from {Server} is malformed ({Convert.ToHexString(frame.AsSpan(0, Math.Min(frame.Length, 64)))}): {ex.Message}", ex);
        }

        if (response.IsExpired)
        {
            throw new SessionExpiredException(null, $"The server {Server} reports session 0x{_session.SessionId:x} as expired.");
        }

        NegotiatedTimeoutMs = response.TimeoutMs;
        IsReadOnly = response.ReadOnly;
        _session.OnHandshake(response);

        var credentials = _session.Credentials;
        if (credentials.Count == 0)
        {
            return;
        }

        writer.Reset();
        foreach (var credential in credentials)
        {
            var start = writer.BeginFrame();
            writer.WriteInt(SpecialXid.Auth);
            writer.WriteInt((int)OpCode.Auth);
            AuthOperation.Write(writer, credential);
            writer.EndFrame(start);
        }

        await _socket.SendAsync(writer.Written, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < credentials.Count; i++)
        {
            var reply = await ReadHandshakeFrameAsync(cancellationToken).ConfigureAwait(false);
            var header = ReadHeader(reply);
            if (header.Xid != SpecialXid.Auth)
            {
                throw new ZooKeeperProtocolException($"Expected the reply to an auth packet (xid -4) from {Server}, got xid {header.Xid}.");
            }

            if (header.Error != ZooKeeperErrorCode.Ok)
            {
                throw new AuthFailedException(null, $"The server {Server} refused the '{credentials[i].Scheme}' credentials ({header.Error}).");
            }
        }
    }

    private static ReplyHeader ReadHeader(byte[] frame)
    {
        var reader = new JuteReader(frame);
        return ReplyHeader.Read(ref reader);
    }

    private async Task<byte[]> ReadHandshakeFrameAsync(CancellationToken cancellationToken)
    {
        var prefix = new byte[4];
        await ReceiveExactlyAsync(prefix, cancellationToken).ConfigureAwait(false);
        var length = BinaryPrimitives.ReadInt32BigEndian(prefix);
        if (length is < 16 or > 4096)
        {
            throw new ZooKeeperProtocolException($"A handshake frame of {length} bytes from {Server} is out of range.");
        }

        var frame = new byte[length];
        await ReceiveExactlyAsync(frame, cancellationToken).ConfigureAwait(false);
        return frame;
    }

    private async Task ReceiveExactlyAsync(Memory<byte> target, CancellationToken cancellationToken)
    {
        while (!target.IsEmpty)
        {
            var read = await _socket.ReceiveAsync(target, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException($"The server {Server} closed the connection during the handshake.");
            }

            target = target[read..];
        }
    }
}
