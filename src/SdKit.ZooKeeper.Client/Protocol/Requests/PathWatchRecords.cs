namespace SdKit.ZooKeeper.Client.Protocol.Requests;

/// <summary>exists (3): <c>ustring path, boolean watch</c> → Stat; NoNode is a result (<see langword="null"/>), not an error.</summary>
internal sealed class ExistsOperation(string path, string serverPath, bool watch) : Operation<NodeStat?>(path)
{
    public override OpCode OpCode => OpCode.Exists;

    public override void WriteBody(JuteWriter writer)
    {
        writer.WriteString(serverPath);
        writer.WriteBool(watch);
    }

    protected override NodeStat? Read(ref JuteReader body) => body.ReadStat();

    protected override bool TryReadError(ZooKeeperErrorCode error, out NodeStat? result)
    {
        result = null;
        return error == ZooKeeperErrorCode.NoNode;
    }
}

/// <summary>getData (4): <c>ustring path, boolean watch</c> → <c>buffer data, Stat</c>.</summary>
internal sealed class GetDataOperation(string path, string serverPath, bool watch) : Operation<NodeData>(path)
{
    public override OpCode OpCode => OpCode.GetData;

    public override void WriteBody(JuteWriter writer)
    {
        writer.WriteString(serverPath);
        writer.WriteBool(watch);
    }

    protected override NodeData Read(ref JuteReader body)
    {
        var data = body.ReadBuffer();
        return new NodeData(data, body.ReadStat());
    }
}

/// <summary>getChildren2 (12): <c>ustring path, boolean watch</c> → <c>vector&lt;ustring&gt; children, Stat</c>.</summary>
internal sealed class GetChildrenOperation(string path, string serverPath, bool watch) : Operation<NodeChildren>(path)
{
    public override OpCode OpCode => OpCode.GetChildren2;

    public override void WriteBody(JuteWriter writer)
    {
        writer.WriteString(serverPath);
        writer.WriteBool(watch);
    }

    protected override NodeChildren Read(ref JuteReader body)
    {
        var children = body.ReadStrings();
        return new NodeChildren(children, body.ReadStat());
    }
}
