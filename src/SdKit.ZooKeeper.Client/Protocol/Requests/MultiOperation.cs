namespace SdKit.ZooKeeper.Client.Protocol.Requests;

/// <summary>
/// multi (14): a MultiHeader <c>{type, done=false, err=-1}</c> plus the record of each op, ended by <c>{-1, true, -1}</c>.
/// A failed multi still has header err 0; the results carry the codes.
/// </summary>
internal sealed class MultiOperation(IReadOnlyList<MultiOp> ops, IReadOnlyList<object> requests, string? chroot) : Operation<IReadOnlyList<MultiResult>>(ops.Count > 0 ? ops[0].Path : null)
{
    public override OpCode OpCode => OpCode.Multi;

    public override void WriteBody(JuteWriter writer)
    {
        for (var i = 0; i < requests.Count; i++)
        {
            switch (requests[i])
            {
                case CreateRequest create:
                    MultiFraming.WriteHeader(writer, create.OpCode);
                    create.Write(writer);
                    break;
                case MultiSubRequest sub:
                    MultiFraming.WriteHeader(writer, sub.OpCode);
                    writer.WriteString(sub.ServerPath);
                    if (sub.OpCode == OpCode.SetData)
                    {
                        writer.WriteBuffer(sub.Data.Span);
                    }

                    writer.WriteInt(sub.Version);
                    break;
            }
        }

        MultiFraming.WriteEnd(writer);
    }

    protected override IReadOnlyList<MultiResult> Read(ref JuteReader body)
        => MultiFraming.ReadResults(ref body, ops.Count, "multi", exact: false, ReadResult);

    public override void Complete(ZooKeeperErrorCode error, ref JuteReader body)
    {
        if (error != ZooKeeperErrorCode.Ok)
        {
            base.Complete(error, ref body);
            return;
        }

        var results = Read(ref body);
        for (var i = 0; i < results.Count; i++)
        {
            if (results[i] is ErrorOpResult { Code: not ZooKeeperErrorCode.Ok } failed)
            {
                Fail(new MultiOperationException(i, ops[i], failed.Code, results));
                return;
            }
        }

        CompleteWith(results);
    }

    private MultiResult ReadResult(OpCode type, int error, ref JuteReader body) => type switch
    {
        OpCode.Create => new CreateOpResult(Chroot.Strip(chroot, body.ReadString() ?? string.Empty), null),
        OpCode.Create2 or OpCode.CreateContainer or OpCode.CreateTtl => new CreateOpResult(Chroot.Strip(chroot, body.ReadString() ?? string.Empty), body.ReadStat()),
        OpCode.Delete => new DeleteOpResult(),
        OpCode.Check => new CheckOpResult(),
        OpCode.SetData => new SetDataOpResult(body.ReadStat()),
        OpCode.Error => new ErrorOpResult((ZooKeeperErrorCode)body.ReadInt()),
        _ => throw new ZooKeeperProtocolException($"Unknown multi result type {(int)type} (err {error})."),
    };
}

/// <summary>A delete, setData or check sub-request of a multi.</summary>
internal sealed record MultiSubRequest(OpCode OpCode, string ServerPath, ReadOnlyMemory<byte> Data, int Version);
