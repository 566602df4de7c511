namespace SdKit.ZooKeeper.Protocol.Requests;

/// <summary>
/// multiRead (22, ZooKeeper 3.6+): the multi framing around getData and getChildren records. Unlike multi it is not
/// atomic: each read succeeds or fails on its own and the header error stays 0, so failures are results, not an
/// exception.
/// </summary>
internal sealed class MultiReadOperation(IReadOnlyList<ReadOp> ops, IReadOnlyList<string> serverPaths) : Operation<IReadOnlyList<MultiResult>>(ops.Count > 0 ? ops[0].Path : null)
{
    public override OpCode OpCode => OpCode.MultiRead;

    public override void WriteBody(JuteWriter writer)
    {
        for (var i = 0; i < ops.Count; i++)
        {
            writer.WriteInt((int)(ops[i] is GetChildrenReadOp ? OpCode.GetChildren : OpCode.GetData));
            writer.WriteBool(false);
            writer.WriteInt(-1);
            writer.WriteString(serverPaths[i]);
            writer.WriteBool(false);
        }

        writer.WriteInt((int)OpCode.Error);
        writer.WriteBool(true);
        writer.WriteInt(-1);
    }

    protected override IReadOnlyList<MultiResult> Read(ref JuteReader body)
    {
        var results = new List<MultiResult>(ops.Count);
        while (true)
        {
            var type = (OpCode)body.ReadInt();
            var done = body.ReadBool();
            var error = body.ReadInt();
            if (done)
            {
                break;
            }

            if (results.Count >= ops.Count)
            {
                throw new ZooKeeperProtocolException($"The multiRead reply holds more results than the {ops.Count} reads sent.");
            }

            switch (type)
            {
                case OpCode.GetData:
                    var data = body.ReadBuffer();
                    results.Add(new GetDataOpResult(new NodeData(data, body.ReadStat())));
                    break;
                case OpCode.GetChildren:
                    results.Add(new GetChildrenOpResult(body.ReadStrings()));
                    break;
                case OpCode.Error:
                    results.Add(new ErrorOpResult((ZooKeeperErrorCode)body.ReadInt()));
                    break;
                default:
                    throw new ZooKeeperProtocolException($"Unknown multiRead result type {(int)type} (err {error}).");
            }
        }

        if (results.Count != ops.Count)
        {
            throw new ZooKeeperProtocolException($"The multiRead reply holds {results.Count} results for {ops.Count} reads.");
        }

        return results;
    }
}
