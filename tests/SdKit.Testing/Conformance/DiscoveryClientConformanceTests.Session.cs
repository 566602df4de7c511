using SdKit.Client;
using SdKit.Instances;
using SdKit.Registration;
using Xunit;

namespace SdKit.Testing.Conformance;

/// <content>Connection states, killed sessions, and the core's Instancer and Registrar over the backend.</content>
public abstract partial class DiscoveryClientConformanceTests
{
    /// <summary>A new subscriber of the state stream receives Connected at once.</summary>
    [Fact]
    public async Task StateChanges_NewSubscriber_ReceivesConnectedAtOnce()
    {
        var client = await ConnectAsync();
        var states = new ObservationRecorder<ConnectionState>();

        using var subscription = client.StateChanges.Subscribe(states);

        Assert.Equal(ConnectionState.Connected, await states.WaitForAsync(_ => true, EventTimeout));
        Assert.Equal(ConnectionState.Connected, client.State);
    }

    /// <summary>Disposing a client reports Closed and completes the state stream.</summary>
    [Fact]
    public async Task DisposeAsync_Client_ReportsClosedAndCompletes()
    {
        var client = await CreateClientAsync();
        var states = new ObservationRecorder<ConnectionState>();
        using var subscription = client.StateChanges.Subscribe(states);

        await client.DisposeAsync();

        await states.WaitForAsync(s => s == ConnectionState.Closed, EventTimeout);
        await states.Completed.WaitAsync(EventTimeout);
    }

    /// <summary>
    /// A killed session takes its entries with it; the client reports Lost, then Reconnected, and can register
    /// again; deregistering a handle of the lost session succeeds.
    /// </summary>
    [Fact]
    public async Task KillSession_Entries_VanishThenClientReconnects()
    {
        var path = NewServicePath();
        var victim = await ConnectAsync();
        var observer = await ConnectAsync();
        var lostHandle = await victim.RegisterAsync(new ServiceEntry(path, "victim:1"));
        await observer.RegisterAsync(new ServiceEntry(path, "survivor:2"));
        var snapshots = Watch(observer, path);
        await WaitForSnapshotAsync(snapshots, "survivor:2", "victim:1");
        var states = new ObservationRecorder<ConnectionState>();
        using var subscription = victim.StateChanges.Subscribe(states);

        await KillSessionAsync(victim);

        await WaitForSnapshotAsync(snapshots, "survivor:2");
        await states.WaitForAsync(s => s == ConnectionState.Lost, EventTimeout);
        await states.WaitForAsync(s => s == ConnectionState.Reconnected, EventTimeout);
        await victim.DeregisterAsync(lostHandle);
        var mark = snapshots.Values.Count;
        await victim.RegisterAsync(new ServiceEntry(path, "victim:1"));
        await WaitForSnapshotAfterAsync(snapshots, mark, "survivor:2", "victim:1");
    }

    /// <summary>The core's <see cref="Instancer"/> over this backend follows registrations and removals.</summary>
    [Fact]
    public async Task Instancer_OverBackend_FollowsChanges()
    {
        var path = NewServicePath();
        var writer = await ConnectAsync();
        var reader = await ConnectAsync();
        await using var instancer = new Instancer(reader, path);
        var events = new ObservationRecorder<InstanceEvent>();
        using var subscription = instancer.Subscribe(events);

        var handle = await writer.RegisterAsync(new ServiceEntry(path, "a:1"));
        await events.WaitForAsync(e => e.Error is null && e.Instances.SequenceEqual(["a:1"]), EventTimeout);
        var mark = events.Values.Count;
        await writer.DeregisterAsync(handle);

        var removed = await events.WaitForNextAsync(mark, e => e.Instances.IsEmpty, EventTimeout);
        Assert.Null(removed.Error);
    }

    /// <summary>The core's <see cref="Registrar"/> over this backend registers again after its session is killed.</summary>
    [Fact]
    public async Task Registrar_SessionKilled_RegistersAgain()
    {
        var path = NewServicePath();
        var client = await ConnectAsync();
        var observer = await ConnectAsync();
        var options = new RegistrarOptions { Backoff = new BackoffOptions { InitialDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromSeconds(1) } };
        await using var registrar = new Registrar(client, new ServiceEntry(path, "healing:1"), options);
        var states = new ObservationRecorder<RegistrationState>();
        using var subscription = registrar.StateChanges.Subscribe(states);
        await registrar.RegisterAsync();
        var first = registrar.Registration!;

        await KillSessionAsync(client);

        await states.WaitForAsync(s => s == RegistrationState.Lost, EventTimeout);
        var lostAt = states.Values.ToList().IndexOf(RegistrationState.Lost);
        await states.WaitForNextAsync(lostAt + 1, s => s == RegistrationState.Registered, EventTimeout);
        Assert.NotEqual(first.Generation, registrar.Registration!.Generation);
        Assert.Equal(["healing:1"], await observer.ListAsync(path));
    }
}
