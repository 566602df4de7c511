namespace SdKit.ZooKeeper.Client.Protocol;

/// <summary>The server's first frame. A timeout of 0 means the session is expired or unknown.</summary>
internal readonly record struct ConnectResponse(int TimeoutMs, long SessionId, byte[] Password, bool ReadOnly)
{
    public bool IsExpired => TimeoutMs <= 0 || SessionId == 0;

    public static ConnectResponse Read(ReadOnlySpan<byte> frame)
    {
        var reader = new JuteReader(frame);
        var protocolVersion = reader.ReadInt();
        if (protocolVersion != 0)
        {
            throw new ZooKeeperProtocolException($"The server answered with protocol version {protocolVersion}; only 0 is known.");
        }

        var timeout = reader.ReadInt();
        var sessionId = reader.ReadLong();
        var password = reader.ReadBuffer();
        var readOnly = reader.Remaining > 0 && reader.ReadBool();
        return new ConnectResponse(timeout, sessionId, password, readOnly);
    }
}
