using System.Buffers.Binary;
using SdKit.ZooKeeper.Client.Protocol;
using SdKit.ZooKeeper.Client.Protocol.Requests;

namespace SdKit.ZooKeeper.Client.Session;

/// <summary>The handshake: ConnectRequest, ConnectResponse, then one auth packet per credential, before any request.</summary>
internal sealed partial class ZooKeeperConnection
{
    /// <summary>The largest handshake frame accepted: a ConnectResponse is 40 bytes or so, an auth reply 16.</summary>
    private const int MaxHandshakeFrame = 4096;

    /// <summary>How many bytes of a peer that is not speaking ZooKeeper are kept to show in the message.</summary>
    private const int ShownGarbage = 64;

    /// <summary>How long a peer that is not speaking ZooKeeper may go on sending, to show what it sent.</summary>
    private static readonly TimeSpan GarbageWait = TimeSpan.FromMilliseconds(250);

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
            throw new ZooKeeperProtocolException($"The server {Server} sent {frame.Length + 4} bytes that are not a ZooKeeper reply ({Shown([.. LengthPrefix(frame.Length), .. frame])}): {ex.Message}", ex);
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

    /// <summary>
    /// Reads one length-prefixed handshake frame. A peer that is not a ZooKeeper server (or not speaking its client
    /// protocol) is told apart from a silent one: an absurd length, bytes that cannot start a reply and a frame cut
    /// short each throw <see cref="ZooKeeperProtocolException"/> saying so, with what the peer sent.
    /// </summary>
    private async Task<byte[]> ReadHandshakeFrameAsync(CancellationToken cancellationToken)
    {
        var prefix = new byte[4];
        var got = await ReceiveAsMuchAsync(prefix, cancellationToken).ConfigureAwait(false);
        if (got == 0)
        {
            throw new IOException($"The server {Server} closed the connection during the handshake without answering.");
        }

        if (got < prefix.Length)
        {
            throw new ZooKeeperProtocolException($"The server {Server} sent {got} bytes that are not a ZooKeeper reply ({Shown(prefix.AsSpan(0, got))}) and closed the connection.");
        }

        var length = BinaryPrimitives.ReadInt32BigEndian(prefix);
        if (length > MaxHandshakeFrame)
        {
            var sent = await ReadGarbageAsync(prefix, cancellationToken).ConfigureAwait(false);
            throw new ZooKeeperProtocolException($"The server {Server} announced a frame of {length:N0} bytes, above the limit of {MaxHandshakeFrame:N0} for a handshake reply: it is not a ZooKeeper server, or not speaking the client protocol (it sent {Shown(sent)}).");
        }

        if (length < 16)
        {
            var sent = await ReadGarbageAsync(prefix, cancellationToken).ConfigureAwait(false);
            throw new ZooKeeperProtocolException($"The server {Server} sent {sent.Length} bytes that are not a ZooKeeper reply ({Shown(sent)}).");
        }

        var frame = new byte[length];
        got = await ReceiveAsMuchAsync(frame, cancellationToken).ConfigureAwait(false);
        if (got < length)
        {
            throw new ZooKeeperProtocolException($"The server {Server} closed the connection after {got} of the {length} bytes of its handshake reply (a truncated frame).");
        }

        return frame;
    }

    /// <summary>Fills <paramref name="target"/> unless the peer closes first; returns how many bytes arrived.</summary>
    private async Task<int> ReceiveAsMuchAsync(Memory<byte> target, CancellationToken cancellationToken)
    {
        var got = 0;
        while (got < target.Length)
        {
            var read = await _socket.ReceiveAsync(target[got..], cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            got += read;
        }

        return got;
    }

    /// <summary>
    /// Collects what a peer that is not speaking ZooKeeper sends after <paramref name="start"/>, until it closes, a
    /// short wait passes or enough is kept to show, so the message can say what it sent.
    /// </summary>
    private async Task<byte[]> ReadGarbageAsync(byte[] start, CancellationToken cancellationToken)
    {
        var kept = new List<byte>(start);
        var buffer = new byte[ShownGarbage];
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(GarbageWait);
        try
        {
            while (kept.Count < ShownGarbage)
            {
                var read = await _socket.ReceiveAsync(buffer.AsMemory(0, ShownGarbage - kept.Count), wait.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                kept.AddRange(buffer.AsSpan(0, read));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or System.Net.Sockets.SocketException && !cancellationToken.IsCancellationRequested)
        {
            // It kept the connection open or reset it: what arrived so far is what it sent.
        }

        cancellationToken.ThrowIfCancellationRequested();
        return [.. kept];
    }

    /// <summary>Shows bytes as quoted text when they are printable (an HTTP or TLS-alert answer reads best so), else as hex.</summary>
    private static string Shown(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is (< 0x20 or > 0x7e) and not (byte)'\r' and not (byte)'\n' and not (byte)'\t')
            {
                return "0x" + Convert.ToHexString(bytes);
            }
        }

        var text = System.Text.Encoding.ASCII.GetString(bytes).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal);
        return $"'{text}'";
    }

    private static byte[] LengthPrefix(int length)
    {
        var prefix = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(prefix, length);
        return prefix;
    }
}
