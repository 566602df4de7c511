using SdKit.Testing.ZooKeeper;
using SdKit.ZooKeeper.Client;
using Xunit;

namespace SdKit.Hosting.Tests.Snippets;

/// <summary>docs/zookeeper-client.md's snippets, run against a real standalone ZooKeeper on loopback.</summary>
public sealed class ZooKeeperClientSnippetTests(ZooKeeperServerFixture zooKeeper) : IClassFixture<ZooKeeperServerFixture>
{
    [Fact]
    public async Task ZooKeeperClient_Snippets_DoWhatTheDocsSay()
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Start);

        var seen = await ZooKeeperClientSnippet.RunAsync(zooKeeper.ConnectString, timeout.Token);

        Assert.Equal("/app/member-0000000000", seen.Member);
        Assert.Equal("127.0.0.1:9090", seen.Data);
        Assert.Equal(new WatchedEvent(WatchedEventType.NodeDataChanged, seen.Member), seen.Changed);
        Assert.True(seen.StrangerDenied);
        Assert.Equal(3, seen.MultiResults);
        Assert.Equal("standalone", seen.Mode);
        Assert.Equal(ZooKeeperSessionState.Connected, seen.State);
    }
}
