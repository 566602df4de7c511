using SdKit.Client;
using SdKit.Etcd.Tests.TestSupport;
using SdKit.Testing.Etcd;

namespace SdKit.Etcd.Tests;

/// <summary>Pauses its own member, so it gets a cluster of its own.</summary>
public sealed class EtcdDiscoveryClientOutageTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TestOutputLoggerFactory _logging = new(output);
    private EtcdCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await EtcdCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Lease_MemberPausedLongerThanTheTtl_ReportsSuspendedLostThenReconnectedWithANewLease()
    {
        await using var client = await Clients.ConnectAsync(_cluster, ttlSeconds: 2, _logging);
        using var states = new StateRecorder(client);
        var path = Clients.NewServicePath();
        var before = await client.RegisterAsync(new ServiceEntry(path, "paused:1"));

        _cluster.Members[0].Pause();
        try
        {
            await states.WaitForAsync(ConnectionState.Suspended);
            await states.WaitForAsync(ConnectionState.Lost);
        }
        finally
        {
            _cluster.Members[0].Resume();
        }

        await states.WaitForAsync(ConnectionState.Reconnected);
        Assert.Equal([ConnectionState.Connected, ConnectionState.Suspended, ConnectionState.Lost, ConnectionState.Reconnected], states.States);
        Assert.NotEqual(before.Generation, client.LeaseId);
        Assert.Empty(await client.ListAsync(path));
        var after = await client.RegisterAsync(new ServiceEntry(path, "paused:1"));
        Assert.Equal(client.LeaseId, after.Generation);
        Assert.Equal(["paused:1"], await client.ListAsync(path));
    }

    [Fact]
    public async Task Lease_MemberPausedShorterThanTheTtl_ReportsSuspendedThenReconnectedWithTheSameLease()
    {
        await using var client = await Clients.ConnectAsync(_cluster, ttlSeconds: 6, _logging);
        using var states = new StateRecorder(client);
        var path = Clients.NewServicePath();
        var registration = await client.RegisterAsync(new ServiceEntry(path, "brief:1"));

        _cluster.Members[0].Pause();
        try
        {
            await states.WaitForAsync(ConnectionState.Suspended);
        }
        finally
        {
            _cluster.Members[0].Resume();
        }

        await states.WaitForAsync(ConnectionState.Reconnected);
        Assert.Equal([ConnectionState.Connected, ConnectionState.Suspended, ConnectionState.Reconnected], states.States);
        Assert.Equal(registration.Generation, client.LeaseId);
        Assert.Equal(["brief:1"], await client.ListAsync(path));
    }

    [Fact]
    public async Task RegisterAsync_MemberPaused_FailsTransientlyWithinTheRequestTimeout()
    {
        var options = Clients.Options(_cluster);
        options.RequestTimeout = TimeSpan.FromSeconds(1);
        await using var client = await EtcdDiscoveryClient.ConnectAsync(options);
        var path = Clients.NewServicePath();

        _cluster.Members[0].Pause();
        try
        {
            var error = await Assert.ThrowsAsync<EtcdException>(async () => await client.RegisterAsync(new ServiceEntry(path, "late:1")).AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.True(error.IsTransient);
            Assert.Contains(_cluster.Endpoints, error.Message, StringComparison.Ordinal);
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
            Assert.Contains("did not answer", error.Message, StringComparison.Ordinal);
            Assert.IsType<TimeoutException>(error.InnerException);
        }
        finally
        {
            _cluster.Members[0].Resume();
        }
    }
}
