namespace SdKit.ZooKeeper.Client.Protocol.Requests;

/// <summary>
/// The framing that multi (14) and multiRead (22) share: each op behind a <c>MultiHeader{type, done=false, err=-1}</c>,
/// the end marked by <c>{-1, true, -1}</c>, no count prefix; the reply framed the same way with one result per op.
/// </summary>
internal static class MultiFraming
{
    /// <summary>Reads one result body, given its header's type and error.</summary>
    public delegate MultiResult ResultReader(OpCode type, int error, ref JuteReader body);

    public static void WriteHeader(JuteWriter writer, OpCode type)
    {
        writer.WriteInt((int)type);
        writer.WriteBool(false);
        writer.WriteInt(-1);
    }

    public static void WriteEnd(JuteWriter writer)
    {
        writer.WriteInt((int)OpCode.Error);
        writer.WriteBool(true);
        writer.WriteInt(-1);
    }

    /// <summary>Reads results up to the end marker; a reply holding more results than <paramref name="sent"/> ops is malformed.</summary>
    /// <exception cref="ZooKeeperProtocolException">More results than ops, or (when <paramref name="exact"/>) fewer.</exception>
    public static List<MultiResult> ReadResults(ref JuteReader body, int sent, string kind, bool exact, ResultReader read)
    {
        var results = new List<MultiResult>(sent);
        while (true)
        {
            var type = (OpCode)body.ReadInt();
            var done = body.ReadBool();
            var error = body.ReadInt();
            if (done)
            {
                break;
            }

            if (results.Count >= sent)
            {
                throw new ZooKeeperProtocolException($"The {kind} reply holds more results than the {sent} ops sent.");
            }

            results.Add(read(type, error, ref body));
        }

        if (exact && results.Count != sent)
        {
            throw new ZooKeeperProtocolException($"The {kind} reply holds {results.Count} results for {sent} ops.");
        }

        return results;
    }
}
