using SdKit.ZooKeeper.Client.Protocol;

namespace SdKit.ZooKeeper.Client.Tests.Protocol;

public sealed class JuteCodecTests
{
    [Fact]
    public void WriteThenRead_EveryType_RoundTrips()
    {
        using var writer = new JuteWriter(8);
        writer.WriteInt(-7);
        writer.WriteLong(long.MinValue + 3);
        writer.WriteBool(true);
        writer.WriteBuffer([1, 2, 3]);
        writer.WriteString("päth/ünïcode");
        writer.WriteString(null);
        writer.WriteStrings(["a", "", "ccc"]);
        writer.WriteAcls([new ZooKeeperAcl(ZooKeeperPermissions.Read | ZooKeeperPermissions.Admin, "digest", "u:x")]);

        var reader = new JuteReader(writer.Written.Span);
        Assert.Equal(-7, reader.ReadInt());
        Assert.Equal(long.MinValue + 3, reader.ReadLong());
        Assert.True(reader.ReadBool());
        Assert.Equal([1, 2, 3], reader.ReadBuffer());
        Assert.Equal("päth/ünïcode", reader.ReadString());
        Assert.Null(reader.ReadString());
        Assert.Equal(["a", "", "ccc"], reader.ReadStrings());
        Assert.Equal([new ZooKeeperAcl((ZooKeeperPermissions)17, "digest", "u:x")], reader.ReadAcls());
        Assert.Equal(0, reader.Remaining);
    }

    [Fact]
    public void WriteString_Utf8_LengthIsByteCount()
    {
        using var writer = new JuteWriter();
        writer.WriteString("é");

        Assert.Equal(new byte[] { 0, 0, 0, 2, 0xC3, 0xA9 }, writer.Written.ToArray());
    }

    [Fact]
    public void Frame_BeginAndEnd_WritesBigEndianLengthPrefix()
    {
        using var writer = new JuteWriter();
        var start = writer.BeginFrame();
        writer.WriteInt(-2);               // xid: ping
        writer.WriteInt((int)OpCode.Ping); // type 11
        writer.EndFrame(start);

        Assert.Equal(new byte[] { 0, 0, 0, 8, 0xff, 0xff, 0xff, 0xfe, 0, 0, 0, 0x0b }, writer.Written.ToArray());
    }

    [Fact]
    public void ReadBuffer_NullLength_ReadsEmpty()
    {
        var reader = new JuteReader([0xff, 0xff, 0xff, 0xff]);

        Assert.Empty(reader.ReadBuffer());
    }

    [Fact]
    public void ReadStrings_NullVector_ReadsEmpty()
    {
        var reader = new JuteReader([0xff, 0xff, 0xff, 0xff]);

        Assert.Empty(reader.ReadStrings());
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0 }, "int")]
    [InlineData(new byte[] { 0x7f, 0xff, 0xff, 0xff, 1, 2 }, "buffer length of 2147483647")]
    [InlineData(new byte[] { 0xff, 0xff, 0xff, 0xfe }, "buffer length of -2")]
    public void ReadBuffer_BadLength_ThrowsProtocolException(byte[] frame, string expected)
    {
        var error = Assert.Throws<ZooKeeperProtocolException>(() => new JuteReader(frame).ReadBuffer());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadStrings_CountLargerThanFrame_ThrowsWithoutAllocatingForCount()
    {
        byte[] frame = [0x10, 0, 0, 0, 0, 0, 0, 0];
        var before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<ZooKeeperProtocolException>(() => new JuteReader(frame).ReadStrings());

        Assert.Contains("count of 268435456", error.Message, StringComparison.Ordinal);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024);
    }

    [Fact]
    public void ReadStat_ShortFrame_ThrowsProtocolException()
    {
        Assert.Throws<ZooKeeperProtocolException>(() => new JuteReader(new byte[67]).ReadStat());
    }

    [Fact]
    public void ReadStat_SixtyEightBytes_ReadsFieldsInWireOrder()
    {
        using var writer = new JuteWriter();
        foreach (var value in new long[] { 1, 2, 3, 4 })
        {
            writer.WriteLong(value);
        }

        writer.WriteInt(5);
        writer.WriteInt(6);
        writer.WriteInt(7);
        writer.WriteLong(8);
        writer.WriteInt(9);
        writer.WriteInt(10);
        writer.WriteLong(11);

        Assert.Equal(68, writer.Length);
        Assert.Equal(new NodeStat(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), new JuteReader(writer.Written.Span).ReadStat());
    }
}
