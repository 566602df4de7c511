using System.Text;
using SdKit.ZooKeeper.Client;

namespace SdKit.Hosting.Tests.Snippets;

/// <summary>docs/zookeeper-client.md: the standalone ZooKeeper client (connect, nodes, watches, ACLs, multi, four-letter words).</summary>
internal static class ZooKeeperClientSnippet
{
    /// <summary>What the snippets saw, for the test to assert.</summary>
    public sealed record Seen(string Member, string Data, WatchedEvent Changed, bool StrangerDenied, int MultiResults, string Mode, ZooKeeperSessionState State);

    public static async Task<Seen> RunAsync(string connectString, CancellationToken ct)
    {
        // begin-snippet: zookeeper-client-basics
        await using var zk = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions
        {
            ConnectString = connectString,                       // "10.0.0.1:2181,10.0.0.2:2181/apps/shop"
            SessionTimeout = TimeSpan.FromSeconds(10),
        }, cancellationToken: ct);

        await zk.CreateAsync("/app", ReadOnlyMemory<byte>.Empty, cancellationToken: ct);
        CreateResult member = await zk.CreateAsync("/app/member-", "127.0.0.1:8080"u8.ToArray(),
            CreateMode.EphemeralSequential, cancellationToken: ct);  // "/app/member-0000000000"

        Watched<NodeData> watched = await zk.GetDataAndWatchAsync(member.Path, ct);
        await zk.SetDataAsync(member.Path, "127.0.0.1:9090"u8.ToArray(), version: watched.Value.Stat.Version, cancellationToken: ct);
        WatchedEvent changed = await watched.Changed.WaitAsync(ct);   // NodeDataChanged on member.Path
        NodeData now = await zk.GetDataAsync(member.Path, ct);
        // end-snippet

        // begin-snippet: zookeeper-client-acl-multi
        // Readable by everyone, changeable only by the digest user "app" (whose credentials this session sends).
        await zk.AddAuthAsync(ZooKeeperAuthInfo.Digest("app", "secret"), ct);
        IReadOnlyList<ZooKeeperAcl> owned = [new(ZooKeeperPermissions.Read, "world", "anyone"),
                                             ZooKeeperAcl.Digest("app", "secret", ZooKeeperPermissions.All)];
        await zk.CreateAsync("/app/config", "v1"u8.ToArray(), CreateMode.Persistent, owned, cancellationToken: ct);

        // All or nothing: check a version, change one node, create another.
        IReadOnlyList<MultiResult> results = await zk.MultiAsync(
        [
            MultiOp.Check("/app/config", version: 0),
            MultiOp.SetData("/app/config", "v2"u8.ToArray()),
            MultiOp.Create("/app/config-history", "v1"u8.ToArray(), acl: owned),
        ], ct);

        // Health of a server, as operators ask it (srvr is whitelisted by default).
        IReadOnlyDictionary<string, string> stats = await ZooKeeperFourLetterWords.ServerStatsAsync(connectString.Split(',')[0], ct);
        string mode = stats["Mode"];                             // "standalone", "leader" or "follower"
        // end-snippet

        await using var stranger = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectString = connectString }, cancellationToken: ct);
        var denied = false;
        try
        {
            await stranger.SetDataAsync("/app/config", "v3"u8.ToArray(), cancellationToken: ct);
        }
        catch (NoAuthException)
        {
            denied = true;
        }

        return new Seen(member.Path, Encoding.UTF8.GetString(now.Data.Span), changed, denied, results.Count, mode, zk.State);
    }
}
