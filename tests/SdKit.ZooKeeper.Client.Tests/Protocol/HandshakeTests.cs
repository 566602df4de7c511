using SdKit.ZooKeeper.Client.Protocol;

namespace SdKit.ZooKeeper.Client.Tests.Protocol;

public sealed class HandshakeTests
{
    [Fact]
    public void ConnectRequest_NewSession_Is45BytesAfterPrefix()
    {
        using var writer = new JuteWriter();
        new ConnectRequest(LastZxidSeen: 0, TimeoutMs: 30000, SessionId: 0, Password: default, ReadOnly: false).Write(writer);

        byte[] expected =
        [
            0, 0, 0, 0x2d,                   // frame length 45
            0, 0, 0, 0,                      // protocolVersion 0
            0, 0, 0, 0, 0, 0, 0, 0,          // lastZxidSeen
            0, 0, 0x75, 0x30,                // timeOut 30000 ms
            0, 0, 0, 0, 0, 0, 0, 0,          // sessionId 0: new session
            0, 0, 0, 0x10,                   // passwd length 16
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0,                               // readOnly false
        ];
        Assert.Equal(expected, writer.Written.ToArray());
    }

    [Fact]
    public void ConnectRequest_Reconnect_CarriesZxidSessionAndPassword()
    {
        using var writer = new JuteWriter();
        var password = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();
        new ConnectRequest(0x1234, 4000, 0x0100000224880049, password, ReadOnly: true).Write(writer);
        var reader = new JuteReader(writer.Written.Span[4..]);

        Assert.Equal(0, reader.ReadInt());
        Assert.Equal(0x1234, reader.ReadLong());
        Assert.Equal(4000, reader.ReadInt());
        Assert.Equal(0x0100000224880049, reader.ReadLong());
        Assert.Equal(password, reader.ReadBuffer());
        Assert.True(reader.ReadBool());
    }

    [Fact]
    public void ConnectResponse_LiveExample_ParsesTimeoutSessionAndPassword()
    {
        byte[] frame =
        [
            0, 0, 0, 0,                                     // protocolVersion
            0, 0, 0x27, 0x10,                               // timeOut 10000
            0x01, 0, 0, 0x02, 0x24, 0x88, 0, 0x4a,          // sessionId
            0, 0, 0, 0x10, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
            0,                                              // readOnly
        ];

        var response = ConnectResponse.Read(frame);

        Assert.Equal(10000, response.TimeoutMs);
        Assert.Equal(0x010000022488004a, response.SessionId);
        Assert.Equal(16, response.Password.Length);
        Assert.False(response.ReadOnly);
        Assert.False(response.IsExpired);
    }

    [Fact]
    public void ConnectResponse_ExpiredWithoutReadOnlyByte_IsExpired()
    {
        var frame = new byte[36];
        frame[19] = 0x10;

        var response = ConnectResponse.Read(frame);

        Assert.True(response.IsExpired);
        Assert.False(response.ReadOnly);
    }

    [Fact]
    public void ConnectResponse_UnknownProtocolVersion_ThrowsProtocolException()
    {
        var frame = new byte[37];
        frame[3] = 1;

        Assert.Throws<ZooKeeperProtocolException>(() => ConnectResponse.Read(frame));
    }
}
