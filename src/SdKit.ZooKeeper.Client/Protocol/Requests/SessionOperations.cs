namespace SdKit.ZooKeeper.Client.Protocol.Requests;

/// <summary>getEphemerals (103): <c>ustring prefixPath</c> → <c>vector&lt;ustring&gt;</c> of server paths.</summary>
internal sealed class GetEphemeralsOperation(string path, string serverPath, string? chroot) : Operation<IReadOnlyList<string>>(path)
{
    public override OpCode OpCode => OpCode.GetEphemerals;

    public override void WriteBody(JuteWriter writer) => writer.WriteString(serverPath);

    protected override IReadOnlyList<string> Read(ref JuteReader body)
    {
        var paths = body.ReadStrings();
        for (var i = 0; i < paths.Count; i++)
        {
            paths[i] = Chroot.Strip(chroot, paths[i]);
        }

        return paths;
    }
}

/// <summary>getAllChildrenNumber (104): <c>ustring path</c> → <c>int</c>, all descendants.</summary>
internal sealed class GetAllChildrenNumberOperation(string path, string serverPath) : Operation<int>(path)
{
    public override OpCode OpCode => OpCode.GetAllChildrenNumber;

    public override void WriteBody(JuteWriter writer) => writer.WriteString(serverPath);

    protected override int Read(ref JuteReader body) => body.ReadInt();
}

/// <summary>addWatch (106): <c>ustring path, int mode</c> → ErrorResponse.</summary>
internal sealed class AddWatchOperation(string path, string serverPath, AddWatchMode mode) : Operation<bool>(path)
{
    public override OpCode OpCode => OpCode.AddWatch;

    public override void WriteBody(JuteWriter writer)
    {
        writer.WriteString(serverPath);
        writer.WriteInt((int)mode);
    }

    protected override bool Read(ref JuteReader body) => true;
}

/// <summary>removeWatches (18): <c>ustring path, int type</c>; no body.</summary>
internal sealed class RemoveWatchesOperation(string path, string serverPath, WatcherType type) : Operation<bool>(path)
{
    public override OpCode OpCode => OpCode.RemoveWatches;

    public override void WriteBody(JuteWriter writer)
    {
        writer.WriteString(serverPath);
        writer.WriteInt((int)type);
    }

    protected override bool Read(ref JuteReader body) => true;
}

/// <summary>closeSession (-11): no body either way; the server then closes the socket.</summary>
internal sealed class CloseSessionOperation() : Operation<bool>(null)
{
    public override OpCode OpCode => OpCode.CloseSession;

    public override void WriteBody(JuteWriter writer)
    {
    }

    protected override bool Read(ref JuteReader body) => true;
}

/// <summary>A ping (xid -2, type 11). Its reply is matched by xid, not through the pending FIFO.</summary>
internal sealed class PingOperation() : Operation<bool>(null)
{
    public static PingOperation Instance { get; } = new();

    public override OpCode OpCode => OpCode.Ping;

    public override void WriteBody(JuteWriter writer)
    {
    }

    protected override bool Read(ref JuteReader body) => true;
}

/// <summary>
/// setWatches (101) or setWatches2 (105): re-arms the session's watches on a new connection, relative to the last
/// zxid seen; the server sends catch-up events for changes missed while disconnected before its reply.
/// </summary>
internal sealed class SetWatchesOperation(long relativeZxid, WatchSet watches) : Operation<bool>(null)
{
    public override OpCode OpCode => watches.HasPersistent ? OpCode.SetWatches2 : OpCode.SetWatches;

    public override void WriteBody(JuteWriter writer)
    {
        writer.WriteLong(relativeZxid);
        writer.WriteStrings(watches.Data);
        writer.WriteStrings(watches.Exist);
        writer.WriteStrings(watches.Child);
        if (watches.HasPersistent)
        {
            writer.WriteStrings(watches.Persistent);
            writer.WriteStrings(watches.PersistentRecursive);
        }
    }

    protected override bool Read(ref JuteReader body) => true;
}

/// <summary>One SetWatches batch: server paths per watch table.</summary>
internal sealed class WatchSet
{
    public List<string> Data { get; } = [];

    public List<string> Exist { get; } = [];

    public List<string> Child { get; } = [];

    public List<string> Persistent { get; } = [];

    public List<string> PersistentRecursive { get; } = [];

    public bool HasPersistent => Persistent.Count > 0 || PersistentRecursive.Count > 0;

    public bool IsEmpty => Data.Count + Exist.Count + Child.Count + Persistent.Count + PersistentRecursive.Count == 0;
}
