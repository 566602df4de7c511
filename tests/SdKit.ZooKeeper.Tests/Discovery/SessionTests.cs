using SdKit.Client;
using SdKit.Registration;
using SdKit.Testing.Conformance;
using SdKit.Testing.Network;
using SdKit.Testing.ZooKeeper;
using SdKit.ZooKeeper.Discovery;
using SdKit.ZooKeeper.Tests.Discovery.Support;
using static SdKit.ZooKeeper.Client.Tests.TestClients;

namespace SdKit.ZooKeeper.Tests.Discovery;

/// <summary>
/// Sessions that die without closeSession, short disconnections, and expiry healed by the core registrar, with the
/// registering client behind a <see cref="LoopbackProxy"/>.
/// </summary>
[Collection(StandaloneCollection.Name)]
public sealed class SessionTests(ZooKeeperServerFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan ShortSession = TimeSpan.FromSeconds(1);
    private readonly CancellationTokenSource _testEnd = new();
    private LoopbackProxy _proxy = null!;
    private ZooKeeperDiscoveryClient _watcher = null!;

    public async Task InitializeAsync()
    {
        _proxy = LoopbackProxy.Start(fixture.Server.Port);
        _watcher = await DiscoveryClients.ConnectAsync(fixture.ConnectString);
    }

    public async Task DisposeAsync()
    {
        await _testEnd.CancelAsync();
        await _watcher.DisposeAsync();
        await _proxy.DisposeAsync();
        _testEnd.Dispose();
    }

    [Fact]
    public async Task Registration_ConnectionSilentPastSessionTimeout_RemovedFromWatchers()
    {
        var path = DiscoveryClients.NewServicePath();
        await using var client = await DiscoveryClients.ConnectAsync(_proxy.Endpoint, o => o.Connection.ReconnectAfterExpiry = false, ShortSession);
        var states = new ObservationRecorder<ConnectionState>();
        using var subscription = client.StateChanges.Subscribe(states);
        await client.RegisterAsync(new ServiceEntry(path, "doomed:1"));
        var snapshots = DiscoveryClients.Watch(_watcher, path, _testEnd.Token);
        await snapshots.WaitForAsync("doomed:1");
        var mark = states.Values.Count;

        _proxy.Stall();
        _proxy.CutAll();

        await snapshots.WaitForAsync();
        await states.WaitForNextAsync(mark, s => s == ConnectionState.Lost, DiscoveryClients.Wait);
        Assert.Equal([ConnectionState.Suspended, ConnectionState.Lost], states.Values.Skip(mark).SkipWhile(s => s != ConnectionState.Suspended));
    }

    [Fact]
    public async Task StateChanges_ShortCut_SuspendedThenReconnectedWithSameSessionAndNode()
    {
        var path = DiscoveryClients.NewServicePath();
        await using var client = await DiscoveryClients.ConnectAsync(_proxy.Endpoint);
        var states = new ObservationRecorder<ConnectionState>();
        using var subscription = client.StateChanges.Subscribe(states);
        var handle = await client.RegisterAsync(new ServiceEntry(path, "steady:1"));
        var session = client.ZooKeeper.SessionId;
        var mark = states.Values.Count;

        _proxy.CutAll();

        await states.WaitForNextAsync(mark, s => s == ConnectionState.Suspended, DiscoveryClients.Wait);
        await states.WaitForNextAsync(mark, s => s == ConnectionState.Reconnected, DiscoveryClients.Wait);
        Assert.DoesNotContain(ConnectionState.Lost, states.Values);
        Assert.Equal(session, client.ZooKeeper.SessionId);
        Assert.Equal(session, (await _watcher.ZooKeeper.ExistsAsync(handle.Key))?.EphemeralOwner);
    }

    [Fact]
    public async Task Registrar_SessionExpired_RegistersANewNodeOnTheNewSession()
    {
        var path = DiscoveryClients.NewServicePath();
        await using var client = await DiscoveryClients.ConnectAsync(_proxy.Endpoint, sessionTimeout: ShortSession);
        var options = new RegistrarOptions { Backoff = new BackoffOptions { InitialDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromSeconds(1) } };
        await using var registrar = new Registrar(client, new ServiceEntry(path, "healing:1"), options);
        var states = new ObservationRecorder<RegistrationState>();
        using var subscription = registrar.StateChanges.Subscribe(states);
        await registrar.RegisterAsync();
        var first = registrar.Registration!;
        var snapshots = DiscoveryClients.Watch(_watcher, path, _testEnd.Token);
        await snapshots.WaitForAsync("healing:1");

        _proxy.Stall();
        _proxy.CutAll();
        await snapshots.WaitForAsync();
        var mark = snapshots.Values.Count;
        _proxy.Resume();

        await snapshots.WaitForNextAsync(mark, s => s.SequenceEqual(["healing:1"]), DiscoveryClients.Wait);
        await states.WaitForAsync(s => s == RegistrationState.Lost, DiscoveryClients.Wait);
        await states.WaitForNextAsync(states.Values.ToList().IndexOf(RegistrationState.Lost), s => s == RegistrationState.Registered, DiscoveryClients.Wait);
        var second = registrar.Registration!;
        Assert.NotEqual(first.Key, second.Key);
        Assert.NotEqual(first.Generation, second.Generation);
        Assert.Equal(client.ZooKeeper.SessionId, second.Generation);
        Assert.Equal([second.Key[(path.Length + 1)..]], (await _watcher.ZooKeeper.GetChildrenAsync(path)).Children);
        Assert.Contains(RegistrationState.Suspended, states.Values);
    }
}
