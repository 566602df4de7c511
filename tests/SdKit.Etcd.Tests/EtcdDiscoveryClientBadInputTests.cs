using SdKit.Client;
using SdKit.Etcd.Tests.TestSupport;
using SdKit.Testing.Etcd;
using SdKit.Testing.Network;

namespace SdKit.Etcd.Tests;

[Collection(SingleMemberCollection.Name)]
public sealed class EtcdDiscoveryClientBadInputTests(EtcdSingleMemberFixture etcd)
{
    public static TheoryData<string> BadPaths => ["", "/", "/svc//", "/a//b", "/svc\0x", "/svc\nx"];

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

    [Theory]
    [InlineData(300)]
    [InlineData(1000)]
    public async Task ConnectAsync_NobodyListening_FailsWithTheTransportErrorNotATimeout(int requestTimeoutMs)
    {
        // The end of the deadline is the edge: the refused request is retried until too little time is left, and that
        // must end in the refusal ("could not be reached"), never in "did not answer": nothing was ever sent. (Far
        // shorter deadlines would measure the first call's cold start instead: that one may honestly time out.)
        var options = new EtcdDiscoveryOptions { RequestTimeout = TimeSpan.FromMilliseconds(requestTimeoutMs) };
        var endpoint = $"http://127.0.0.1:{FreePort.Next()}";
        options.Endpoints.Add(endpoint);

        var thrown = await Record.ExceptionAsync(() => EtcdDiscoveryClient.ConnectAsync(options).WaitAsync(Timeouts.Event));

        var error = Assert.IsType<EtcdException>(thrown, exactMatch: true);
        Assert.True(error.IsTransient);
        Assert.StartsWith($"etcd at {endpoint} could not be reached for lease grant of 'TTL 10 s': ", error.Message, StringComparison.Ordinal);
        Assert.Contains("Connection refused", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("did not answer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAsync_NobodyListeningAndCallerCancels_ThrowsCancellationWithTheRefusalAsReason()
    {
        // etcd's deadline is far away; the caller's cancellation comes first and must be what the caller sees.
        var options = new EtcdDiscoveryOptions { RequestTimeout = TimeSpan.FromSeconds(10) };
        var endpoint = $"http://127.0.0.1:{FreePort.Next()}";
        options.Endpoints.Add(endpoint);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));

        var thrown = await Record.ExceptionAsync(() => EtcdDiscoveryClient.ConnectAsync(options, cancellationToken: cancel.Token).WaitAsync(Timeouts.Event));

        var cancelled = Assert.IsAssignableFrom<OperationCanceledException>(thrown);
        Assert.Equal(cancel.Token, cancelled.CancellationToken);
        var reason = Assert.IsType<EtcdException>(cancelled.InnerException, exactMatch: true);
        Assert.StartsWith($"etcd at {endpoint} could not be reached for lease grant", reason.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListAsync_MemberGoneAndShortRequestTimeout_FailsWithTheTransportErrorNotATimeout()
    {
        await using var cluster = await EtcdCluster.StartAsync(1);
        var options = Clients.Options(cluster);
        options.RequestTimeout = TimeSpan.FromMilliseconds(300);
        await using var client = await EtcdDiscoveryClient.ConnectAsync(options);
        await cluster.Members[0].KillAsync();

        var error = await Assert.ThrowsAsync<EtcdException>(async () => await client.ListAsync("/gone/svc").AsTask().WaitAsync(Timeouts.Event));

        Assert.True(error.IsTransient);
        Assert.StartsWith($"etcd at {client.Endpoints} could not be reached for list of '/gone/svc/': ", error.Message, StringComparison.Ordinal);
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
