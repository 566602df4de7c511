namespace SdKit.ZooKeeper.Client.Tests;

public sealed class ZooKeeperPathsTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/a")]
    [InlineData("/a/b-c_d.e")]
    [InlineData("/zookeeper")]
    [InlineData("/ünïcode/日本")]
    [InlineData("/a/.b/..c")]
    public void Validate_ValidPath_DoesNotThrow(string path)
    {
        ZooKeeperPaths.Validate(path);
        Assert.True(ZooKeeperPaths.IsValid(path));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("a", "start with '/'")]
    [InlineData("/a/", "end with '/'")]
    [InlineData("//a", "empty segment")]
    [InlineData("/a//b", "empty segment")]
    [InlineData("/a/.", "relative segment '.'")]
    [InlineData("/a/../b", "relative segment '..'")]
    [InlineData("/a\u0000b", "U+0000")]
    [InlineData("/a\u001fb", "U+001F")]
    [InlineData("/a\u007f", "U+007F")]
    [InlineData("/a\u009f", "U+009F")]
    [InlineData("/a\uf8ff", "U+F8FF")]
    [InlineData("/a\ufff0", "U+FFF0")]
    public void Validate_InvalidPath_ThrowsArgumentExceptionNamingRule(string path, string rule)
    {
        var error = Assert.Throws<ArgumentException>(() => ZooKeeperPaths.Validate(path));

        Assert.Contains(rule, error.Message, StringComparison.Ordinal);
        Assert.Equal("path", error.ParamName);
        Assert.False(ZooKeeperPaths.IsValid(path));
    }

    [Fact]
    public void Validate_LoneSurrogate_ThrowsNamingCodePoint()
    {
        var path = "/a" + (char)0xD800;

        var error = Assert.Throws<ArgumentException>(() => ZooKeeperPaths.Validate(path));

        Assert.Contains("U+D800 at index 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SequentialTrailingSlash_IsAllowed()
    {
        ZooKeeperPaths.Validate("/queue/", sequential: true);
        Assert.Throws<ArgumentException>(() => ZooKeeperPaths.Validate("/queue//", sequential: true));
    }

    [Theory]
    [InlineData("/", "a", "/a")]
    [InlineData("/p", "a", "/p/a")]
    public void Combine_ParentAndChild_JoinsWithOneSlash(string parent, string child, string expected)
        => Assert.Equal(expected, ZooKeeperPaths.Combine(parent, child));
}
