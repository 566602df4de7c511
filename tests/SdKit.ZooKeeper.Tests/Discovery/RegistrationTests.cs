using SdKit.Client;
using SdKit.Testing.ZooKeeper;
using SdKit.ZooKeeper.Discovery;
using SdKit.ZooKeeper.Tests.Discovery.Support;
using static SdKit.ZooKeeper.Client.Tests.TestClients;

namespace SdKit.ZooKeeper.Tests.Discovery;

/// <summary>Parents, ACLs, the named layout's rules, exact deregistration, and recovery of a create whose reply was lost.</summary>
[Collection(StandaloneCollection.Name)]
public sealed class RegistrationTests(ZooKeeperServerFixture fixture) : IAsyncLifetime
{
    private ZooKeeperClient _raw = null!;

    public async Task InitializeAsync() => _raw = await ConnectAsync(fixture.ConnectString);

    public async Task DisposeAsync() => await _raw.DisposeAsync();

    [Fact]
    public async Task RegisterAsync_ParentDataAndAcl_AppliedToCreatedParentsOnly()
    {
        var root = await CreateTestRootAsync(_raw);
        IReadOnlyList<ZooKeeperAcl> parentAcl = [new(ZooKeeperPermissions.Read | ZooKeeperPermissions.Create | ZooKeeperPermissions.Delete, "world", "anyone")];
        await using var client = await DiscoveryClients.ConnectAsync(fixture.ConnectString, o =>
        {
            o.ParentAcl = parentAcl;
            o.ParentData.Add(Bytes("ignored: the root exists"));
            o.ParentData.Add(Bytes("level two"));
        });

        await client.RegisterAsync(new ServiceEntry(root + "/a/b", "x:1"));

        Assert.Equal(nameof(RegisterAsync_ParentDataAndAcl_AppliedToCreatedParentsOnly), Text((await _raw.GetDataAsync(root)).Data));
        Assert.Equal(ZooKeeperAcl.OpenUnsafe, (await _raw.GetAclAsync(root)).Acl);
        Assert.Equal("level two", Text((await _raw.GetDataAsync(root + "/a")).Data));
        Assert.Equal(parentAcl, (await _raw.GetAclAsync(root + "/a")).Acl);
        Assert.True((await _raw.GetDataAsync(root + "/a/b")).Data.IsEmpty);
        Assert.Equal(parentAcl, (await _raw.GetAclAsync(root + "/a/b")).Acl);
    }

    [Fact]
    public async Task UseDigestOwner_OtherSessions_ReadButCannotRemove()
    {
        var path = DiscoveryClients.NewServicePath();
        await using var owner = await DiscoveryClients.ConnectAsync(fixture.ConnectString, o => o.UseDigestOwner("svc-owner", "s3cret"));
        await using var stranger = await DiscoveryClients.ConnectAsync(fixture.ConnectString);

        var handle = await owner.RegisterAsync(new ServiceEntry(path, "10.0.0.1:80"));

        Assert.Equal(["10.0.0.1:80"], await stranger.ListAsync(path));
        await Assert.ThrowsAsync<NoAuthException>(() => stranger.ZooKeeper.DeleteAsync(handle.Key));
        await Assert.ThrowsAsync<NoAuthException>(() => stranger.ZooKeeper.SetDataAsync(handle.Key, Bytes("10.6.6.6:80")));
        var acl = (await owner.ZooKeeper.GetAclAsync(handle.Key)).Acl;
        Assert.Contains(new ZooKeeperAcl(ZooKeeperPermissions.Read, "world", "anyone"), acl);
        Assert.Contains(ZooKeeperAcl.Digest("svc-owner", "s3cret", ZooKeeperPermissions.All), acl);
        await owner.DeregisterAsync(handle);
        Assert.Empty(await stranger.ListAsync(path));
    }

    [Fact]
    public async Task RegisterAsync_NamedLayoutTwiceInOneSession_AdoptsTheNode()
    {
        var path = DiscoveryClients.NewServicePath();
        await using var client = await DiscoveryClients.ConnectAsync(fixture.ConnectString, o => o.Layout = ZooKeeperNodeLayout.Named);

        var first = await client.RegisterAsync(new ServiceEntry(path, "127.0.0.1:9000"));
        var second = await client.RegisterAsync(new ServiceEntry(path, "127.0.0.1:9000"));

        Assert.Equal(first.Key, second.Key);
        Assert.Equal(["127.0.0.1:9000"], await client.ListAsync(path));
    }

    [Fact]
    public async Task RegisterAsync_NamedNodeOfAnotherSession_ThrowsNodeExists()
    {
        var path = DiscoveryClients.NewServicePath();
        await using var holder = await DiscoveryClients.ConnectAsync(fixture.ConnectString, o => o.Layout = ZooKeeperNodeLayout.Named);
        await using var late = await DiscoveryClients.ConnectAsync(fixture.ConnectString, o => o.Layout = ZooKeeperNodeLayout.Named);
        await holder.RegisterAsync(new ServiceEntry(path, "127.0.0.1:9001"));

        var error = await Assert.ThrowsAsync<ZooKeeperDiscoveryException>(async () => await late.RegisterAsync(new ServiceEntry(path, "127.0.0.1:9001")));

        Assert.Equal(path + "/127.0.0.1:9001", error.Path);
        Assert.Equal(ZooKeeperErrorCode.NodeExists, error.Code);
        Assert.False(error.IsTransient);
        var cause = Assert.IsType<NodeExistsException>(error.InnerException);
        Assert.Equal(cause.Message, error.Message);
    }

    [Fact]
    public async Task RegisterAsync_NamedLayoutInstanceWithSlash_ThrowsArgumentException()
    {
        await using var client = await DiscoveryClients.ConnectAsync(fixture.ConnectString, o => o.Layout = ZooKeeperNodeLayout.Named);

        await Assert.ThrowsAsync<ArgumentException>(async () => await client.RegisterAsync(new ServiceEntry("/svc", "http://127.0.0.1:80")));
    }

    [Fact]
    public async Task DeregisterAsync_NameTakenByANewerSession_LeavesTheNewNode()
    {
        var path = DiscoveryClients.NewServicePath();
        var first = await DiscoveryClients.ConnectAsync(fixture.ConnectString, o => o.Layout = ZooKeeperNodeLayout.Named);
        var oldHandle = await first.RegisterAsync(new ServiceEntry(path, "127.0.0.1:9002"));
        await first.DisposeAsync();
        await using var second = await DiscoveryClients.ConnectAsync(fixture.ConnectString, o => o.Layout = ZooKeeperNodeLayout.Named);
        var newHandle = await second.RegisterAsync(new ServiceEntry(path, "127.0.0.1:9002"));

        await second.DeregisterAsync(oldHandle);

        Assert.Equal(oldHandle.Key, newHandle.Key);
        Assert.Equal(second.ZooKeeper.SessionId, (await _raw.ExistsAsync(newHandle.Key))?.EphemeralOwner);
    }

    [Fact]
    public async Task RegisterAsync_ReplyLostAfterCreateApplied_AdoptsTheNodeWithoutDuplicate()
    {
        var path = DiscoveryClients.NewServicePath();
        await _raw.CreateAsync(path[..path.LastIndexOf('/')], ReadOnlyMemory<byte>.Empty);
        await _raw.CreateAsync(path, ReadOnlyMemory<byte>.Empty);
        await using var proxy = FaultProxy.Start(fixture.Server.Port);
        await using var client = await DiscoveryClients.ConnectAsync(proxy.Endpoint);
        var childAdded = (await _raw.GetChildrenAndWatchAsync(path)).Changed;
        var sprung = proxy.Trap(path + "/_c_", forward: true);

        var registering = client.RegisterAsync(new ServiceEntry(path, "127.0.0.1:7000")).AsTask();
        await sprung.WaitAsync(DiscoveryClients.Wait);
        await childAdded.WaitAsync(DiscoveryClients.Wait);
        var session = client.ZooKeeper.SessionId;
        proxy.CutAll();
        proxy.Resume();
        var handle = await registering.WaitAsync(DiscoveryClients.Wait);

        var children = (await _raw.GetChildrenAsync(path)).Children;
        Assert.Equal([handle.Key[(path.Length + 1)..]], children);
        Assert.Equal(session, client.ZooKeeper.SessionId);
        Assert.Equal(session, handle.Generation);
        Assert.Equal("127.0.0.1:7000", Text((await _raw.GetDataAsync(handle.Key)).Data));
    }

    [Fact]
    public async Task RegisterAsync_CreateLostBeforeServer_CreatesExactlyOneNode()
    {
        var path = DiscoveryClients.NewServicePath();
        await _raw.CreateAsync(path[..path.LastIndexOf('/')], ReadOnlyMemory<byte>.Empty);
        await _raw.CreateAsync(path, ReadOnlyMemory<byte>.Empty);
        await using var proxy = FaultProxy.Start(fixture.Server.Port);
        await using var client = await DiscoveryClients.ConnectAsync(proxy.Endpoint);
        var sprung = proxy.Trap(path + "/_c_", forward: false);

        var registering = client.RegisterAsync(new ServiceEntry(path, "127.0.0.1:7001")).AsTask();
        await sprung.WaitAsync(DiscoveryClients.Wait);
        Assert.Empty((await _raw.GetChildrenAsync(path)).Children);
        proxy.CutAll();
        proxy.Resume();
        var handle = await registering.WaitAsync(DiscoveryClients.Wait);

        Assert.Equal([handle.Key[(path.Length + 1)..]], (await _raw.GetChildrenAsync(path)).Children);
        Assert.EndsWith("-0000000000", handle.Key, StringComparison.Ordinal);
    }
}
