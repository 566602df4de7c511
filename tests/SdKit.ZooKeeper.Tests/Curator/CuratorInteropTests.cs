using SdKit.Client;
using SdKit.Instances;
using SdKit.Instances.Codecs;
using SdKit.Registration;
using SdKit.Testing.Conformance;
using SdKit.Testing.ZooKeeper;
using SdKit.ZooKeeper.Discovery;
using SdKit.ZooKeeper.Tests.Discovery.Support;
using static SdKit.ZooKeeper.Client.Tests.TestClients;

namespace SdKit.ZooKeeper.Tests.Curator;

/// <summary>
/// SdKit and Apache Curator x-discovery (Debian's 5.4.0, driven by the Java peer in <c>Peer/CuratorPeer.java</c>) on one
/// ZooKeeper, both ways: SdKit's typed instancer sees what Curator registers, Curator's <c>queryForInstances</c>,
/// <c>ServiceProvider</c> and <c>ServiceCache</c> see what SdKit registers in the Curator layout, and an update or a stop
/// on either side reaches the other.
/// </summary>
[Collection(StandaloneCollection.Name)]
public sealed class CuratorInteropTests(ZooKeeperServerFixture fixture) : IAsyncLifetime
{
    private readonly string _basePath = $"/curator-{Guid.NewGuid():N}";
    private ZooKeeperClient _raw = null!;

    public async Task InitializeAsync() => _raw = await ConnectAsync(fixture.ConnectString);

    public async Task DisposeAsync() => await _raw.DisposeAsync();

    [Fact]
    public async Task CuratorRegistersWithPayload_TypedInstancerSeesAddressPortAndPayload_UpdateAndStopReachIt()
    {
        var servicePath = _basePath + "/hello";
        await using var java = await CuratorPeer.StartAsync("register", fixture.ConnectString, _basePath, "hello", "java-1", "127.0.0.1", "8080", "version=2", "zone=z1");
        var registered = await java.WaitForLineAsync("REGISTERED");
        Assert.Equal("java-1", registered[1]);
        var data = (await java.WaitForLineAsync("DATA"))[1];

        // Curator's node: ephemeral, named by the id, holding exactly the JSON the peer read back.
        var node = await _raw.GetDataAsync(servicePath + "/java-1");
        Assert.Equal(data, Text(node.Data));
        Assert.True(node.Stat.IsEphemeral, java.Output());
        Assert.Contains("\"@class\":\"java.util.HashMap\"", data, StringComparison.Ordinal);

        await using var client = await DiscoveryClients.ConnectAsync(fixture.ConnectString, o => o.InstanceFormat = InstanceFormats.Curator);
        await using var instancer = new Instancer(client, servicePath);
        await using var typed = new TypedInstancer(instancer, InstanceFormats.CreateCodec(client.InstanceFormat, servicePath));
        var events = new ObservationRecorder<ServiceInstanceEvent>();
        using var subscription = typed.Subscribe(events);

        var seen = await events.WaitForAsync(e => e.Instances.Length == 1, DiscoveryClients.Wait);
        var instance = seen.Instances[0];
        Assert.Equal("java-1", instance.Id);
        Assert.Equal("127.0.0.1", instance.Host);
        Assert.Equal(8080, instance.Port);
        Assert.Null(instance.Scheme);
        Assert.True(instance.Enabled);
        Assert.Equal(new Dictionary<string, string> { ["version"] = "2", ["zone"] = "z1" }, instance.Metadata);
        Assert.Empty(seen.Failures);

        // Curator's updateService rewrites the node's data in place: one change, same id.
        var mark = events.Values.Count;
        await java.SendAsync("update version=3");
        await java.WaitForLineAsync("UPDATED");
        var changed = await events.WaitForNextAsync(mark, e => e.Changed.Length == 1, DiscoveryClients.Wait);
        Assert.Equal("3", changed.Instances.Single().Metadata["version"]);
        Assert.False(changed.Instances.Single().Metadata.ContainsKey("zone"));
        Assert.Empty(changed.Added);
        Assert.Empty(changed.Removed);

        mark = events.Values.Count;
        await java.SendAsync("stop");
        await java.WaitForLineAsync("STOPPED");
        var gone = await events.WaitForNextAsync(mark, e => e.Instances.IsEmpty, DiscoveryClients.Wait);
        Assert.Equal(["java-1"], gone.Removed.Select(i => i.Id));
        await java.WaitForExitAsync();
    }

    [Fact]
    public async Task CuratorProcessTerminated_TypedInstancerSeesTheInstanceGo()
    {
        var servicePath = _basePath + "/hello";
        await using var java = await CuratorPeer.StartAsync("register", fixture.ConnectString, _basePath, "hello", "-", "127.0.0.1", "8081", "version=1");
        var id = (await java.WaitForLineAsync("REGISTERED"))[1];
        await using var client = await DiscoveryClients.ConnectAsync(fixture.ConnectString);
        await using var instancer = new Instancer(client, servicePath);
        await using var typed = new TypedInstancer(instancer, InstanceFormats.CreateCodec(InstanceFormats.Curator, servicePath));
        var events = new ObservationRecorder<ServiceInstanceEvent>();
        using var subscription = typed.Subscribe(events);
        var seen = await events.WaitForAsync(e => e.Instances.Length == 1, DiscoveryClients.Wait);
        Assert.True(Guid.TryParse(seen.Instances[0].Id, out _), seen.Instances[0].Id);   // Curator's generated UUID
        Assert.Equal(id, seen.Instances[0].Id);
        var mark = events.Values.Count;

        await java.TerminateAsync();

        await java.WaitForLineAsync("TERMINATED");
        var gone = await events.WaitForNextAsync(mark, e => e.Instances.IsEmpty, DiscoveryClients.Wait);
        Assert.Equal([id], gone.Removed.Select(i => i.Id));
        await java.WaitForExitAsync();
    }

    [Fact]
    public async Task SdKitRegistersInCuratorLayout_QueryForInstancesAndServiceProviderFindIt()
    {
        var servicePath = _basePath + "/hello";
        await using var client = await DiscoveryClients.ConnectAsync(fixture.ConnectString, o =>
        {
            o.Layout = ZooKeeperNodeLayout.Curator;
            o.InstanceFormat = InstanceFormats.Curator;
        });
        var codec = InstanceFormats.CreateCodec(client.InstanceFormat, servicePath);
        var id = Guid.NewGuid().ToString();
        var instance = new ServiceInstance(id, "127.0.0.1", 9090, metadata: [new("version", "2"), new("team", "blue")]);
        await using var registrar = new Registrar(client, new ServiceEntry(servicePath, codec.Encode(instance)) { Id = id });
        await registrar.RegisterAsync();

        // The node Curator's registerService makes for a DYNAMIC instance: ephemeral, not sequential, named by the id.
        Assert.Equal(servicePath + "/" + id, registrar.Registration!.Key);
        Assert.True(await _raw.ExistsAsync(registrar.Registration.Key) is { IsEphemeral: true });

        await using var query = await CuratorPeer.StartAsync("query", fixture.ConnectString, _basePath, "hello");
        var found = await query.WaitForQueryAsync();
        var seen = Assert.Single(found);
        Assert.Equal(id, seen.Id);
        Assert.Equal("127.0.0.1", seen.Address);
        Assert.Equal(9090, seen.Port);
        Assert.Null(seen.SslPort);
        Assert.True(seen.Enabled);
        Assert.Equal(new Dictionary<string, string> { ["team"] = "blue", ["version"] = "2" }, seen.Payload);
        Assert.Equal(id, (await query.WaitForLineAsync("PROVIDER"))[1]);
        await query.WaitForExitAsync();
    }

    [Fact]
    public async Task SdKitUpdatesAndStops_CuratorServiceCacheSeesTheChangeThenTheRemoval()
    {
        var servicePath = _basePath + "/hello";
        var client = await DiscoveryClients.ConnectAsync(fixture.ConnectString, o =>
        {
            o.Layout = ZooKeeperNodeLayout.Curator;
            o.InstanceFormat = InstanceFormats.Curator;
        });
        await using var clientOwner = client;
        var codec = InstanceFormats.CreateCodec(client.InstanceFormat, servicePath);
        var v1 = new ServiceInstance("sdkit-1", "127.0.0.1", 9091, metadata: [new("version", "1")]);
        await using var registrar = new Registrar(client, new ServiceEntry(servicePath, codec.Encode(v1)) { Id = v1.Id });
        await registrar.RegisterAsync();
        await using var watch = await CuratorPeer.StartAsync("watch", fixture.ConnectString, _basePath, "hello");
        await watch.WaitForCacheAsync(c => c.Count == 1 && c[0].Payload["version"] == "1", "the instance at version 1");

        var key = registrar.Registration!.Key;
        await registrar.UpdateAsync(codec.Encode(new ServiceInstance("sdkit-1", "127.0.0.1", 9091, metadata: [new("version", "2")], enabled: false)));
        var updated = await watch.WaitForCacheAsync(c => c.Count == 1 && c[0].Payload["version"] == "2", "the instance at version 2");
        Assert.False(updated[0].Enabled);
        Assert.Equal(key, registrar.Registration!.Key);

        // Stopping SdKit's side (closing its session) removes the instance from Curator's cache.
        await client.DisposeAsync();
        await watch.WaitForCacheAsync(c => c.Count == 0, "the instance removed");
        await watch.SendAsync("stop");
        await watch.WaitForExitAsync();
    }
}
