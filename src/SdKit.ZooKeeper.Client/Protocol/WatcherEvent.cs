namespace SdKit.ZooKeeper.Client.Protocol;

/// <summary>The body of a notification (xid -1): <c>int type, int state, ustring path</c>.</summary>
internal readonly record struct WatcherEvent(WatchedEventType Type, int State, string Path)
{
    public static WatcherEvent Read(ref JuteReader reader)
        => new((WatchedEventType)reader.ReadInt(), reader.ReadInt(), reader.ReadString() ?? string.Empty);
}
