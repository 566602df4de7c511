namespace SdKit.ZooKeeper.Client.Protocol.Requests;

/// <summary>
/// An auth packet (xid -4, type 100): <c>int type=0, ustring scheme, buffer auth</c>. The server answers it outside the
/// ordered pipeline; a failure (AuthFailed) is followed by the server closing the connection.
/// </summary>
internal sealed class AuthOperation(ZooKeeperAuthInfo auth) : Operation<bool>(null)
{
    public override OpCode OpCode => OpCode.Auth;

    public ZooKeeperAuthInfo Auth => auth;

    public override void WriteBody(JuteWriter writer) => Write(writer, auth);

    public static void Write(JuteWriter writer, ZooKeeperAuthInfo auth)
    {
        writer.WriteInt(0);
        writer.WriteString(auth.Scheme);
        writer.WriteBuffer(auth.Auth.Span);
    }

    protected override bool Read(ref JuteReader body) => true;
}
