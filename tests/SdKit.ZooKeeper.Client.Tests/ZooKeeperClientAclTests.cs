using SdKit.Testing.ZooKeeper;
using static SdKit.ZooKeeper.Client.Tests.TestClients;

namespace SdKit.ZooKeeper.Client.Tests;

[Collection(StandaloneCollection.Name)]
public sealed class ZooKeeperClientAclTests(ZooKeeperServerFixture fixture)
{
    [Fact]
    public async Task SetDataAsync_DigestProtectedNodeWithoutAuth_ThrowsNoAuth()
    {
        await using var owner = await ConnectAsync(fixture.ConnectString, o => o.Authentication.Add(ZooKeeperAuthInfo.Digest("alice", "s3cret")));
        await using var stranger = await ConnectAsync(fixture.ConnectString);
        var root = await CreateTestRootAsync(owner);
        IReadOnlyList<ZooKeeperAcl> acl = [ZooKeeperAcl.Digest("alice", "s3cret", ZooKeeperPermissions.All), new(ZooKeeperPermissions.Read, "world", "anyone")];
        await owner.CreateAsync(root + "/guarded", Bytes("x"), acl: acl);

        var error = await Assert.ThrowsAsync<NoAuthException>(() => stranger.SetDataAsync(root + "/guarded", Bytes("y")));

        Assert.Equal(root + "/guarded", error.Path);
        Assert.Equal("x", Text((await stranger.GetDataAsync(root + "/guarded")).Data));
        Assert.Equal(1, (await owner.SetDataAsync(root + "/guarded", Bytes("z"))).Version);
    }

    [Fact]
    public async Task AddAuthAsync_AfterConnect_GrantsAccess()
    {
        await using var owner = await ConnectAsync(fixture.ConnectString, o => o.Authentication.Add(ZooKeeperAuthInfo.Digest("bob", "pw")));
        await using var later = await ConnectAsync(fixture.ConnectString);
        var root = await CreateTestRootAsync(owner);
        await owner.CreateAsync(root + "/bob", Bytes("x"), acl: ZooKeeperAcl.CreatorAll);
        await Assert.ThrowsAsync<NoAuthException>(() => later.GetDataAsync(root + "/bob"));

        await later.AddAuthAsync(ZooKeeperAuthInfo.Digest("bob", "pw"));

        Assert.Equal("x", Text((await later.GetDataAsync(root + "/bob")).Data));
    }

    [Fact]
    public async Task GetAclAsync_CreatorAll_ReturnsDigestIdOfSession()
    {
        await using var owner = await ConnectAsync(fixture.ConnectString, o => o.Authentication.Add(ZooKeeperAuthInfo.Digest("alice", "s3cret")));
        var root = await CreateTestRootAsync(owner);
        await owner.CreateAsync(root + "/mine", Bytes("x"), acl: ZooKeeperAcl.CreatorAll);

        var acl = await owner.GetAclAsync(root + "/mine");

        Assert.Equal([new ZooKeeperAcl(ZooKeeperPermissions.All, "digest", "alice:uLxpHc/uhT86OXPoSjJTp1M8CJY=")], acl.Acl);
    }

    [Fact]
    public async Task SetAclAsync_WithAclVersion_UpdatesAndChecksVersion()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);
        var root = await CreateTestRootAsync(client);
        IReadOnlyList<ZooKeeperAcl> acl = [new(ZooKeeperPermissions.Read | ZooKeeperPermissions.Write | ZooKeeperPermissions.Admin | ZooKeeperPermissions.Delete | ZooKeeperPermissions.Create, "world", "anyone")];

        var stat = await client.SetAclAsync(root, [new(ZooKeeperPermissions.All & ~ZooKeeperPermissions.Create, "world", "anyone")], aclVersion: 0);
        await Assert.ThrowsAsync<BadVersionException>(() => client.SetAclAsync(root, acl, aclVersion: 0));
        await Assert.ThrowsAsync<NoAuthException>(() => client.CreateAsync(root + "/child", Bytes("x")));
        await client.SetAclAsync(root, acl, aclVersion: stat.AclVersion);

        Assert.Equal(1, stat.AclVersion);
        Assert.Equal(acl, (await client.GetAclAsync(root)).Acl);
    }

    [Fact]
    public async Task CreateAsync_AuthSchemeWithoutIdentity_ThrowsInvalidAcl()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);
        var root = await CreateTestRootAsync(client);

        await Assert.ThrowsAsync<InvalidAclException>(() => client.CreateAsync(root + "/x", Bytes("x"), acl: ZooKeeperAcl.CreatorAll));
    }

    [Fact]
    public async Task ConnectAsync_UnknownAuthScheme_ThrowsAuthFailed()
    {
        var error = await Assert.ThrowsAsync<AuthFailedException>(() => ConnectAsync(fixture.ConnectString, o => o.Authentication.Add(new ZooKeeperAuthInfo("nosuchscheme", Bytes("x")))));

        Assert.Equal(ZooKeeperErrorCode.AuthFailed, error.Code);
        Assert.Contains("nosuchscheme", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddAuthAsync_UnknownScheme_ThrowsAuthFailedAndSessionCarriesOn()
    {
        await using var client = await ConnectAsync(fixture.ConnectString);
        using var states = new StateRecorder(client);
        var sessionId = client.SessionId;

        await Assert.ThrowsAsync<AuthFailedException>(() => client.AddAuthAsync(new ZooKeeperAuthInfo("nosuchscheme", Bytes("x"))));

        await states.WaitForAsync(ZooKeeperSessionState.Disconnected, 0, Wait);
        await states.WaitForAsync(ZooKeeperSessionState.Connected, 1, Wait);
        Assert.Equal(sessionId, client.SessionId);
        Assert.NotNull(await client.ExistsAsync("/"));
    }
}
