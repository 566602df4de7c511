using SdKit.Client;
using SdKit.Etcd.Tests.TestSupport;
using SdKit.Instances;
using SdKit.Registration;
using SdKit.Testing.Conformance;
using SdKit.Testing.Etcd;

namespace SdKit.Etcd.Tests;

/// <summary>The core's Registrar and Instancer over etcd through a lease-ending outage; pauses its own member.</summary>
public sealed class EtcdRegistrarTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TestOutputLoggerFactory _logging = new(output);
    private EtcdCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await EtcdCluster.StartAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Registrar_MemberPausedLongerThanTheLeaseTtl_RegistersAgainUnderTheNewLease()
    {
        var path = Clients.NewServicePath();
        await using var client = await Clients.ConnectAsync(_cluster, ttlSeconds: 2, _logging);
        await using var watching = await Clients.ConnectAsync(_cluster, ttlSeconds: 10, _logging);
        var options = new RegistrarOptions { Backoff = new BackoffOptions { InitialDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(500) } };
        await using var registrar = new Registrar(client, new ServiceEntry(path, "survivor:1"), options);
        await using var instancer = new Instancer(watching, path);
        var states = new ObservationRecorder<RegistrationState>();
        var events = new ObservationRecorder<InstanceEvent>();
        using var stateSubscription = registrar.StateChanges.Subscribe(states);
        using var eventSubscription = instancer.Subscribe(events);
        await registrar.RegisterAsync();
        var first = registrar.Registration!;
        await events.WaitForAsync(e => e.Instances.SequenceEqual(["survivor:1"]), Timeouts.Event);

        _cluster.Members[0].Pause();
        try
        {
            await states.WaitForAsync(s => s == RegistrationState.Lost, Timeouts.Event);
        }
        finally
        {
            _cluster.Members[0].Resume();
        }

        var lostAt = states.Values.ToList().IndexOf(RegistrationState.Lost);
        await states.WaitForNextAsync(lostAt + 1, s => s == RegistrationState.Registered, Timeouts.Event);
        Assert.NotEqual(first.Generation, registrar.Registration!.Generation);
        Assert.Equal(client.LeaseId, registrar.Registration.Generation);
        // Exactly one entry: the one under the new lease; nothing of the old lease is left to duplicate it.
        Assert.Equal(["survivor:1"], await watching.ListAsync(path));
        await events.WaitForAsync(e => e.Error is null && e.Instances.SequenceEqual(["survivor:1"]) && instancer.Current.Equals(e), Timeouts.Event);
    }
}
