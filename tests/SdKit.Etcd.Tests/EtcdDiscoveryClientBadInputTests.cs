using SdKit.Client;
using SdKit.Etcd.Tests.TestSupport;
using SdKit.Testing.Etcd;
using SdKit.Testing.Network;

namespace SdKit.Etcd.Tests;

[Collection(SingleMemberCollection.Name)]
public sealed class EtcdDiscoveryClientBadInputTests(EtcdSingleMemberFixture etcd)
{
    public static TheoryData<string> BadPaths => ["", "/", "/svc/", "/a//b", "/svc\0x", "/svc\nx"];

    [Theory]
    [MemberData(nameof(BadPaths))]
    public async Task ListAsync_MalformedPath_ThrowsArgumentExceptionNamingIt(string path)
    {
        await using var client = await Clients.ConnectAsync(etcd.Cluster);

        var error = await Assert.ThrowsAnyAsync<ArgumentException>(async () => await client.ListAsync(path));

        Assert.Equal("servicePath", error.ParamName);
    }

    [Theory]
    [MemberData(nameof(BadPaths))]
    public async Task WatchAsync_MalformedPath_ThrowsBeforeEnumerating(string path)
    {
        await using var client = await Clients.ConnectAsync(etcd.Cluster);

        Assert.ThrowsAny<ArgumentException>(() => client.WatchAsync(path));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task RegisterAsync_PathWithControlCharacter_ThrowsArgumentException()
    {
        await using var client = await Clients.ConnectAsync(etcd.Cluster);

        var error = await Assert.ThrowsAsync<ArgumentException>(async () => await client.RegisterAsync(new ServiceEntry("/svc\u0001x", "a:1")));

        Assert.Contains("control character", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_NobodyListening_ThrowsTransientErrorWithinTheRequestTimeout()
    {
        var options = new EtcdDiscoveryOptions { RequestTimeout = TimeSpan.FromSeconds(1) };
        var endpoint = $"http://127.0.0.1:{FreePort.Next()}";
        options.Endpoints.Add(endpoint);

        var thrown = await Record.ExceptionAsync(() => EtcdDiscoveryClient.ConnectAsync(options).WaitAsync(TimeSpan.FromSeconds(10)));

        var error = Assert.IsType<EtcdException>(thrown, exactMatch: true);
        Assert.True(error.IsTransient);
        Assert.Contains(endpoint, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegisterAsync_AuthEnabledButNoCredentialsGiven_ExplainsWhatIsMissing()
    {
        await using var cluster = await EtcdCluster.StartAsync(1, new EtcdSecurity(Tls: false, AuthPrefix: "/only/"));
        await using var client = await Clients.ConnectAsync(cluster);

        var error = await Assert.ThrowsAsync<EtcdException>(async () => await client.RegisterAsync(new ServiceEntry("/only/svc", "a:1")).AsTask().WaitAsync(Timeouts.Event));

        Assert.False(error.IsTransient);
        Assert.Contains("set Username and Password", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegisterAsync_AuthTokenExpiredWhileIdle_StillSucceeds()
    {
        await using var cluster = await EtcdCluster.StartAsync(1, new EtcdSecurity(Tls: false, AuthPrefix: "/only/"), ["--auth-token-ttl", "1"]);
        var options = Clients.Options(cluster);
        options.Username = EtcdSecurity.User;
        options.Password = EtcdSecurity.Password;
        await using var client = await EtcdDiscoveryClient.ConnectAsync(options);
        await client.RegisterAsync(new ServiceEntry("/only/svc", "a:1"));

        // Idle time is the condition under test: etcd drops the token after one idle second; there is no event to await.
        await Task.Delay(TimeSpan.FromSeconds(2.5));

        await client.RegisterAsync(new ServiceEntry("/only/svc", "b:1"));
        Assert.Equal(["a:1", "b:1"], (await client.ListAsync("/only/svc")).Order(StringComparer.Ordinal));
    }
}
