namespace SdKit.ZooKeeper.Client.Protocol.Requests;

/// <summary>
/// multiRead (22, ZooKeeper 3.6+): the multi framing around getData and getChildren records. Unlike multi it is not
/// atomic: each read succeeds or fails on its own and the header error stays 0, so failures are results, not an
/// exception.
/// </summary>
internal sealed class MultiReadOperation(IReadOnlyList<ReadOp> ops, IReadOnlyList<string> serverPaths) : Operation<IReadOnlyList<MultiResult>>(ops.Count > 0 ? ops[0].Path : null)
{
    // The index of the result being read, which says whether its op wants the data as text.
    private int _next;

    public override OpCode OpCode => OpCode.MultiRead;

    public override void WriteBody(JuteWriter writer)
    {
        for (var i = 0; i < ops.Count; i++)
        {
            MultiFraming.WriteHeader(writer, ops[i] is GetChildrenReadOp ? OpCode.GetChildren : OpCode.GetData);
            writer.WriteString(serverPaths[i]);
            writer.WriteBool(false);
        }

        MultiFraming.WriteEnd(writer);
    }

    protected override IReadOnlyList<MultiResult> Read(ref JuteReader body)
        => MultiFraming.ReadResults(ref body, ops.Count, "multiRead", exact: true, ReadResult);

    private MultiResult ReadResult(OpCode type, int error, ref JuteReader body)
    {
        var op = ops[_next++];
        switch (type)
        {
            case OpCode.GetData when op is GetDataTextReadOp:
                var text = body.ReadBufferAsString();
                return new GetDataTextOpResult(text, body.ReadStat());
            case OpCode.GetData:
                var data = body.ReadBuffer();
                return new GetDataOpResult(new NodeData(data, body.ReadStat()));
            case OpCode.GetChildren:
                return new GetChildrenOpResult(body.ReadStrings());
            case OpCode.Error:
                return new ErrorOpResult((ZooKeeperErrorCode)body.ReadInt());
            default:
                throw new ZooKeeperProtocolException($"Unknown multiRead result type {(int)type} (err {error}).");
        }
    }
}
