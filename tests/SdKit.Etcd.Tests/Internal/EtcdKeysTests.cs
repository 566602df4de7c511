using Google.Protobuf;

namespace SdKit.Etcd.Tests.Internal;

public sealed class EtcdKeysTests
{
    [Theory]
    [InlineData("/svc/foo", "/svc/foo/")]
    [InlineData("services", "services/")]
    public void Prefix_ValidPath_AppendsTheSlashBoundary(string path, string expected)
        => Assert.Equal(expected, EtcdKeys.Prefix(path));

    [Theory]
    [InlineData("/svc/foo/a", true)]
    [InlineData("/svc/foo/", false)]
    [InlineData("/svc/foo/a/b", false)]
    [InlineData("/svc/foobar/a", false)]
    [InlineData("/svc/fo/a", false)]
    public void IsEntry_Key_MatchesOnlyDirectChildrenOfThePrefix(string key, bool expected)
        => Assert.Equal(expected, EtcdKeys.IsEntry(key, "/svc/foo/"));

    [Fact]
    public void RangeEnd_Prefix_IsThePrefixWithItsLastByteIncremented()
        => Assert.Equal("/svc/foo0", EtcdKeys.RangeEnd(ByteString.CopyFromUtf8("/svc/foo/")).ToStringUtf8());

    [Fact]
    public void RangeEnd_TrailingFfBytes_AreDroppedBeforeIncrementing()
        => Assert.Equal([0x61, 0x63], EtcdKeys.RangeEnd(ByteString.CopyFrom(0x61, 0x62, 0xff, 0xff)).ToByteArray());

    [Fact]
    public void RangeEnd_OnlyFfBytes_IsTheEndOfTheKeySpace()
        => Assert.Equal([0x00], EtcdKeys.RangeEnd(ByteString.CopyFrom(0xff)).ToByteArray());

    [Fact]
    public void Key_IdWithControlCharacter_Throws()
        => Assert.Throws<ArgumentException>(() => EtcdKeys.Key("/svc", "a\tb"));
}
