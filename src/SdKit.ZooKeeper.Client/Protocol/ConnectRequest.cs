namespace SdKit.ZooKeeper.Client.Protocol;

/// <summary>The client's first frame: no RequestHeader, 45 bytes after the length prefix with the readOnly byte.</summary>
internal readonly record struct ConnectRequest(long LastZxidSeen, int TimeoutMs, long SessionId, ReadOnlyMemory<byte> Password, bool ReadOnly)
{
    public const int PasswordLength = 16;

    public void Write(JuteWriter writer)
    {
        var start = writer.BeginFrame();
        writer.WriteInt(0);
        writer.WriteLong(LastZxidSeen);
        writer.WriteInt(TimeoutMs);
        writer.WriteLong(SessionId);
        writer.WriteBuffer(Password.IsEmpty ? new byte[PasswordLength] : Password.Span);
        writer.WriteBool(ReadOnly);
        writer.EndFrame(start);
    }
}
