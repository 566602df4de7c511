namespace SdKit.ZooKeeper.Client.Protocol.Requests;

/// <summary>delete (2): <c>ustring path, int version</c>; no body in the reply.</summary>
internal sealed class DeleteOperation(string path, string serverPath, int version) : Operation<bool>(path)
{
    public override OpCode OpCode => OpCode.Delete;

    public override void WriteBody(JuteWriter writer)
    {
        writer.WriteString(serverPath);
        writer.WriteInt(version);
    }

    protected override bool Read(ref JuteReader body) => true;
}

/// <summary>setData (5): <c>ustring path, buffer data, int version</c> → Stat.</summary>
internal sealed class SetDataOperation(string path, string serverPath, ReadOnlyMemory<byte> data, int version) : Operation<NodeStat>(path)
{
    public override OpCode OpCode => OpCode.SetData;

    public override void WriteBody(JuteWriter writer)
    {
        writer.WriteString(serverPath);
        writer.WriteBuffer(data.Span);
        writer.WriteInt(version);
    }

    protected override NodeStat Read(ref JuteReader body) => body.ReadStat();
}

/// <summary>getACL (6): <c>ustring path</c> → <c>vector&lt;ACL&gt;, Stat</c>.</summary>
internal sealed class GetAclOperation(string path, string serverPath) : Operation<NodeAcl>(path)
{
    public override OpCode OpCode => OpCode.GetAcl;

    public override void WriteBody(JuteWriter writer) => writer.WriteString(serverPath);

    protected override NodeAcl Read(ref JuteReader body)
    {
        var acl = body.ReadAcls();
        return new NodeAcl(acl, body.ReadStat());
    }
}

/// <summary>setACL (7): <c>ustring path, vector&lt;ACL&gt;, int version</c> (compared with aversion) → Stat.</summary>
internal sealed class SetAclOperation(string path, string serverPath, IReadOnlyList<ZooKeeperAcl> acl, int version) : Operation<NodeStat>(path)
{
    public override OpCode OpCode => OpCode.SetAcl;

    public override void WriteBody(JuteWriter writer)
    {
        writer.WriteString(serverPath);
        writer.WriteAcls(acl);
        writer.WriteInt(version);
    }

    protected override NodeStat Read(ref JuteReader body) => body.ReadStat();
}

/// <summary>sync (9): <c>ustring path</c> → the path echoed.</summary>
internal sealed class SyncOperation(string path, string serverPath) : Operation<bool>(path)
{
    public override OpCode OpCode => OpCode.Sync;

    public override void WriteBody(JuteWriter writer) => writer.WriteString(serverPath);

    protected override bool Read(ref JuteReader body) => true;
}
