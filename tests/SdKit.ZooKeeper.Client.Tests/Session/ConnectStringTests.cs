using SdKit.ZooKeeper.Client.Session;

namespace SdKit.ZooKeeper.Client.Tests.Session;

public sealed class ConnectStringTests
{
    [Fact]
    public void Parse_HostsAndChroot_SplitsThem()
    {
        var parsed = ConnectString.Parse("10.0.0.1:2181, zk2.example:2182,[::1]:2183,[fe80::1],zk5/apps/shop");

        Assert.Equal(
            [new HostAndPort("10.0.0.1", 2181), new("zk2.example", 2182), new("::1", 2183), new("fe80::1", 2181), new("zk5", 2181)],
            parsed.Hosts);
        Assert.Equal("/apps/shop", parsed.Chroot);
        Assert.Equal("[::1]:2183", parsed.Hosts[2].ToString());
    }

    [Fact]
    public void Parse_RootChroot_MeansNone()
        => Assert.Null(ConnectString.Parse("h:1/").Chroot);

    [Theory]
    [InlineData("", "empty")]
    [InlineData("h:0", "port '0'")]
    [InlineData("h:70000", "port '70000'")]
    [InlineData("h:x", "port 'x'")]
    [InlineData("[::1", "closing ']'")]
    [InlineData("h:1/bad/", "chroot '/bad/'")]
    [InlineData(",,/a", "names no host")]
    [InlineData(":2181", "has no host")]
    public void Parse_Malformed_ThrowsArgumentExceptionNamingProblem(string connectString, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => ConnectString.Parse(connectString));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
