namespace SdKit.ZooKeeper.Client.Protocol;

/// <summary>The 16-byte header of every reply after the handshake: <c>int xid, long zxid, int err</c>.</summary>
internal readonly record struct ReplyHeader(int Xid, long Zxid, ZooKeeperErrorCode Error)
{
    public static ReplyHeader Read(ref JuteReader reader)
        => new(reader.ReadInt(), reader.ReadLong(), (ZooKeeperErrorCode)reader.ReadInt());
}
