namespace SdKit.ZooKeeper.Client.Protocol.Requests;

/// <summary>
/// create2 (15), createContainer (19) or createTTL (21): <c>ustring path, buffer data, vector&lt;ACL&gt;, int flags[, long ttl]</c>
/// → <c>ustring path, Stat</c>.
/// </summary>
internal sealed class CreateOperation(string path, CreateRequest request, string? chroot) : Operation<CreateResult>(path)
{
    public override OpCode OpCode => request.OpCode;

    public override void WriteBody(JuteWriter writer) => request.Write(writer);

    protected override CreateResult Read(ref JuteReader body)
    {
        var created = body.ReadString() ?? string.Empty;
        return new CreateResult(Chroot.Strip(chroot, created), body.ReadStat());
    }
}

/// <summary>The fields of a create, shared by the single create and the multi sub-op.</summary>
internal sealed record CreateRequest(string ServerPath, ReadOnlyMemory<byte> Data, IReadOnlyList<ZooKeeperAcl> Acl, CreateMode Mode, long Ttl)
{
    public OpCode OpCode => Mode switch
    {
        CreateMode.Container => OpCode.CreateContainer,
        CreateMode.PersistentWithTtl or CreateMode.PersistentSequentialWithTtl => OpCode.CreateTtl,
        _ => OpCode.Create2,
    };

    public void Write(JuteWriter writer)
    {
        writer.WriteString(ServerPath);
        writer.WriteBuffer(Data.Span);
        writer.WriteAcls(Acl);
        writer.WriteInt((int)Mode);
        if (OpCode == OpCode.CreateTtl)
        {
            writer.WriteLong(Ttl);
        }
    }
}
