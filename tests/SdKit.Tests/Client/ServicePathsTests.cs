using SdKit.Client;
using SdKit.InMemory;
using Xunit;

namespace SdKit.Tests.Client;

public sealed class ServicePathsTests
{
    [Theory]
    [InlineData("services/", "services")]
    [InlineData("/go_servers/", "/go_servers")]
    [InlineData("/go_servers", "/go_servers")]
    [InlineData("services", "services")]
    [InlineData("/a/b/", "/a/b")]
    public void Normalize_OneTrailingSlash_IsDropped(string path, string expected)
        => Assert.Equal(expected, ServicePaths.Normalize(path));

    [Theory]
    [InlineData("", "path")]
    [InlineData("/", "not the root '/'")]
    [InlineData("//", "holds an empty segment ('//')")]
    [InlineData("services//", "holds an empty segment ('//')")]
    [InlineData("/a//b", "holds an empty segment ('//')")]
    public void Normalize_AmbiguousPath_ThrowsNamingIt(string path, string problem)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => ServicePaths.Normalize(path, "--path"));

        Assert.Equal("--path", error.ParamName);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InMemory_TrailingSlash_IsThePathWithItsBoundary()
    {
        var registry = new InMemoryRegistry();
        await using var client = registry.CreateClient();
        await client.RegisterAsync(new ServiceEntry("/svc/", "a:1"));
        await client.RegisterAsync(new ServiceEntry("/svcx", "beside:1"));

        Assert.Equal("/svc", new ServiceEntry("/svc/", "a:1").ServicePath);
        Assert.Equal(["a:1"], await client.ListAsync("/svc/"));
        Assert.Equal(["a:1"], await client.ListAsync("/svc"));
        Assert.Equal(["a:1"], registry.Snapshot("/svc/"));
    }
}
