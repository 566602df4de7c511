using SdKit.Client;
using SdKit.Etcd.Tests.TestSupport;
using SdKit.Instances;
using SdKit.Registration;
using SdKit.Testing.Conformance;
using SdKit.Testing.Etcd;

namespace SdKit.Etcd.Tests;

/// <summary>
/// <see cref="EtcdDiscoveryClient.UpdateAsync"/>: a put under the registration's own lease (checked in the same
/// transaction), one change for watchers, a clear failure when the lease is no longer the registration's, and the
/// registrar writing the latest string under a new lease.
/// </summary>
[Collection(SingleMemberCollection.Name)]
public sealed class EtcdUpdateInPlaceTests(EtcdSingleMemberFixture etcd)
{
    [Fact]
    public async Task UpdateAsync_PutsTheSameKeyUnderTheSameLease_WatchersSeeOneChange()
    {
        await using var client = await Clients.ConnectAsync(etcd.Cluster);
        await using var watching = await Clients.ConnectAsync(etcd.Cluster);
        var path = Clients.NewServicePath();
        await using var instancer = new Instancer(watching, path);
        var events = new ObservationRecorder<InstanceEvent>();
        using var subscription = instancer.Subscribe(events);
        var first = await client.RegisterAsync(new ServiceEntry(path, "v1") { Id = "node-1" });
        await events.WaitForAsync(e => e.Instances.SequenceEqual(["v1"]), Timeouts.Event);
        var mark = events.Values.Count;

        var second = await client.UpdateAsync(first, "v2");

        await events.WaitForNextAsync(mark, e => e.Instances.SequenceEqual(["v2"]), Timeouts.Event);
        Assert.Equal(path + "/node-1", second.Key);
        Assert.Equal(first.Generation, second.Generation);
        Assert.Equal("v2", second.Entry.Instance);
        var json = await etcd.Cluster.Ctl.RunAsync("get", "--write-out=json", second.Key);
        using var document = System.Text.Json.JsonDocument.Parse(json);
        var kv = document.RootElement.GetProperty("kvs")[0];
        Assert.Equal("v2", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(kv.GetProperty("value").GetString()!)));
        Assert.Equal(client.LeaseId, kv.GetProperty("lease").GetInt64());
        Assert.Equal(2, kv.GetProperty("version").GetInt64());
        Assert.Equal(kv.GetProperty("mod_revision").GetInt64(), second.Version);
        Assert.True(second.Version > first.Version, $"{second.Version} after {first.Version}");
        Assert.Equal([["v2"]], events.Values.Skip(mark).Select(e => e.Instances.ToArray()));
    }

    [Fact]
    public async Task UpdateAsync_LeaseRevoked_FailsNamingTheKeyAndWritesNothing()
    {
        await using var client = await Clients.ConnectAsync(etcd.Cluster, ttlSeconds: 2);
        using var states = new StateRecorder(client);
        var path = Clients.NewServicePath();
        var handle = await client.RegisterAsync(new ServiceEntry(path, "v1") { Id = "node-1" });
        await etcd.Cluster.Ctl.RevokeAsync(handle.Generation);
        await states.WaitForAsync(ConnectionState.Reconnected);

        var error = await Assert.ThrowsAsync<EtcdException>(async () => await client.UpdateAsync(handle, "v2"));

        Assert.Contains(handle.Key, error.Message, StringComparison.Ordinal);
        Assert.False(error.IsTransient);
        Assert.Empty(await client.ListAsync(path));
    }

    [Fact]
    public async Task UpdateAsync_KeyRegisteredAgainUnderANewLease_OldHandleFails()
    {
        await using var client = await Clients.ConnectAsync(etcd.Cluster, ttlSeconds: 2);
        using var states = new StateRecorder(client);
        var path = Clients.NewServicePath();
        var entry = new ServiceEntry(path, "v1") { Id = "node-1" };
        var stale = await client.RegisterAsync(entry);
        await etcd.Cluster.Ctl.RevokeAsync(stale.Generation);
        await states.WaitForAsync(ConnectionState.Reconnected);
        var current = await client.RegisterAsync(entry);

        var error = await Assert.ThrowsAsync<EtcdException>(async () => await client.UpdateAsync(stale, "v2"));

        Assert.Contains("no longer on lease", error.Message, StringComparison.Ordinal);
        Assert.Equal(["v1"], await client.ListAsync(path));
        await client.UpdateAsync(current, "v3");
        Assert.Equal(["v3"], await client.ListAsync(path));
    }

    [Fact]
    public async Task Registrar_UpdatedThenLeaseLost_RegistersTheLatestStringUnderTheNewLease()
    {
        await using var client = await Clients.ConnectAsync(etcd.Cluster, ttlSeconds: 2);
        await using var watching = await Clients.ConnectAsync(etcd.Cluster);
        var path = Clients.NewServicePath();
        var options = new RegistrarOptions { Backoff = new BackoffOptions { InitialDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(500) } };
        await using var registrar = new Registrar(client, new ServiceEntry(path, "weight=1"), options);
        var states = new ObservationRecorder<RegistrationState>();
        using var subscription = registrar.StateChanges.Subscribe(states);
        await using var watch = new WatchRecorder(watching, path);
        await registrar.RegisterAsync();
        await watch.WaitForAsync("weight=1");

        await registrar.UpdateAsync("weight=5");
        await watch.WaitForAsync("weight=5");
        var first = registrar.Registration!;
        await etcd.Cluster.Ctl.RevokeAsync(first.Generation);

        await states.WaitForAsync(s => s == RegistrationState.Lost, Timeouts.Event);
        await states.WaitForNextAsync(states.Values.ToList().IndexOf(RegistrationState.Lost), s => s == RegistrationState.Registered, Timeouts.Event);
        Assert.NotEqual(first.Generation, registrar.Registration!.Generation);
        Assert.Equal(first.Key, registrar.Registration.Key);
        Assert.Equal(["weight=5"], await watching.ListAsync(path));
    }
}
