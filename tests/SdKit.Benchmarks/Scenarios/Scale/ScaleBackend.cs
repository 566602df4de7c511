using System.Globalization;
using System.Text;
using SdKit.Benchmarks.Scenarios.Etcd;
using SdKit.Benchmarks.Scenarios.ZooKeeperDiscovery;
using SdKit.Client;
using SdKit.Etcd;
using SdKit.Testing.Etcd;
using SdKit.Testing.ZooKeeper;
using SdKit.ZooKeeper;
using SdKit.ZooKeeper.Client;
using SdKit.ZooKeeper.Discovery;

namespace SdKit.Benchmarks.Scenarios.Scale;

/// <summary>
/// The registry a scale scenario runs against: <c>--backend zk</c> with <c>--zk HOSTS|local|local:N</c>, or
/// <c>--backend etcd</c> with <c>--etcd URLS|local|local:N</c>. It connects discovery clients with the limits that
/// large sets need, fills a service path with many instances quickly, and restarts the leader of a local cluster.
/// </summary>
internal sealed class ScaleBackend : IAsyncDisposable
{
    /// <summary>The reply limit the scale runners give the ZooKeeper client: a listing of 100,000 protected nodes is about 5 MB.</summary>
    public const int ZooKeeperFrameLimit = 16 * 0x100000;

    private readonly IAsyncDisposable? _owned;

    private ScaleBackend(string kind, string target, IReadOnlyList<string> endpoints, IAsyncDisposable? owned)
    {
        Kind = kind;
        Target = target;
        Endpoints = endpoints;
        _owned = owned;
    }

    /// <summary>Gets <c>zk</c> or <c>etcd</c>.</summary>
    public string Kind { get; }

    /// <summary>Gets the connect string (ZooKeeper) or the comma-separated client URLs (etcd).</summary>
    public string Target { get; }

    /// <summary>Gets the etcd client URLs (empty for ZooKeeper).</summary>
    public IReadOnlyList<string> Endpoints { get; }

    public bool IsZooKeeper => Kind == "zk";

    /// <summary>Gets or sets the reply limit of ZooKeeper clients made here (<c>--max-frame-mb</c>).</summary>
    public int FrameLimit { get; set; } = ZooKeeperFrameLimit;

    /// <summary>Gets or sets how ZooKeeper clients made here watch (<c>--watch-mode recursive|children</c>).</summary>
    public ZooKeeperWatchMode WatchMode { get; set; } = ZooKeeperWatchMode.PersistentRecursive;

    public static async Task<ScaleBackend> StartAsync(ScenarioArguments arguments)
    {
        var kind = arguments.String("backend", "zk");
        ScaleBackend backend;
        switch (kind)
        {
            case "zk":
                var (connectString, owned) = await ZkScenarioSupport.ServersAsync(arguments).ConfigureAwait(false);
                backend = new ScaleBackend(kind, connectString, [], owned);
                break;
            case "etcd":
                var (endpoints, cluster) = await EtcdScenarioSupport.EndpointsAsync(arguments).ConfigureAwait(false);
                backend = new ScaleBackend(kind, string.Join(',', endpoints), endpoints, cluster);
                break;
            default:
                throw new ArgumentException($"--backend must be zk or etcd, not '{kind}'.");
        }

        backend.FrameLimit = arguments.Int("max-frame-mb", ZooKeeperFrameLimit / 0x100000) * 0x100000;
        backend.WatchMode = arguments.String("watch-mode", "recursive") switch
        {
            "recursive" => ZooKeeperWatchMode.PersistentRecursive,
            "children" => ZooKeeperWatchMode.Children,
            var other => throw new ArgumentException($"--watch-mode must be 'recursive' or 'children', not '{other}'."),
        };
        return backend;
    }

    /// <summary>Connects a discovery client: a ZooKeeper session with <paramref name="session"/>, or an etcd client with a lease of that TTL.</summary>
    public async Task<IDiscoveryClient> ConnectAsync(TimeSpan session, CancellationToken cancellationToken)
    {
        if (IsZooKeeper)
        {
            var options = ZkScenarioSupport.Options(Target, session);
            options.Connection.MaxFrameSize = FrameLimit;
            options.WatchMode = WatchMode;
            return await ZooKeeperDiscoveryClient.ConnectAsync(options, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return await EtcdDiscoveryClient.ConnectAsync(EtcdScenarioSupport.Options(Endpoints, Math.Max(1, (int)session.TotalSeconds)), cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The instance string of number <paramref name="i"/> (unique up to 16 million).</summary>
    public static string Instance(int i) => $"10.{i / 65536 % 256}.{i / 256 % 256}.{i % 256}:8080";

    /// <summary>
    /// Registers instances <paramref name="first"/> .. first+count-1 under <paramref name="path"/> through
    /// <paramref name="client"/>, <paramref name="inFlight"/> at a time (the registry's write path bounds this), as
    /// <see cref="Instance"/> strings or as the values <paramref name="value"/> gives.
    /// </summary>
    public static async Task<List<RegisteredEntry>> RegisterManyAsync(IDiscoveryClient client, string path, int first, int count, int inFlight, CancellationToken cancellationToken, Func<int, string>? value = null)
    {
        value ??= Instance;
        var registered = new List<RegisteredEntry>(count);
        for (var start = first; start < first + count; start += inFlight)
        {
            var batch = Enumerable.Range(start, Math.Min(inFlight, first + count - start))
                .Select(i => client.RegisterAsync(new ServiceEntry(path, value(i)), cancellationToken).AsTask());
            registered.AddRange(await Task.WhenAll(batch).ConfigureAwait(false));
        }

        return registered;
    }

    /// <summary>Creates a persistent node (and its parents) on a ZooKeeper client.</summary>
    public static Task CreatePathAsync(ZooKeeperClient client, string path, CancellationToken cancellationToken)
        => ZkScenarioSupport.CreatePathAsync(client, path, cancellationToken);

    /// <summary>Gets the ZooKeeper members' <c>mntr</c> figures (the first member's), or an empty map for etcd.</summary>
    public async Task<IReadOnlyDictionary<string, string>> MonitorAsync(CancellationToken cancellationToken)
    {
        if (!IsZooKeeper)
        {
            return new Dictionary<string, string>();
        }

        try
        {
            return await ZooKeeperFourLetterWords.MonitorAsync(Target.Split(',')[0], cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ZooKeeperException or System.Net.Sockets.SocketException)
        {
            return new Dictionary<string, string> { ["error"] = ex.Message };
        }
    }

    /// <summary>Sums one numeric <c>mntr</c> figure over every member of the ensemble.</summary>
    public async Task<long> MonitorSumAsync(string key, CancellationToken cancellationToken)
    {
        long sum = 0;
        foreach (var server in Target.Split(','))
        {
            try
            {
                var figures = await ZooKeeperFourLetterWords.MonitorAsync(server, cancellationToken).ConfigureAwait(false);
                sum += figures.TryGetValue(key, out var text) && long.TryParse(text, CultureInfo.InvariantCulture, out var value) ? value : 0;
            }
            catch (Exception ex) when (ex is IOException or ZooKeeperException or System.Net.Sockets.SocketException)
            {
                // A member that is down counts nothing.
            }
        }

        return sum;
    }

    /// <summary>Kills the leader of the local ensemble or cluster and starts it again; returns its name.</summary>
    public async Task<string> RestartLeaderAsync(TimeSpan downFor, CancellationToken cancellationToken)
    {
        switch (_owned)
        {
            case ZooKeeperEnsemble ensemble:
                var zkLeader = await ensemble.LeaderAsync().ConfigureAwait(false) ?? throw new InvalidOperationException("The ensemble has no leader to restart.");
                await zkLeader.KillAsync().ConfigureAwait(false);
                await Task.Delay(downFor, cancellationToken).ConfigureAwait(false);
                await zkLeader.RestartAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
                return $"zk server {zkLeader.MyId} (port {zkLeader.Port})";
            case EtcdCluster cluster:
                var etcdLeader = await cluster.LeaderAsync().ConfigureAwait(false) ?? throw new InvalidOperationException("The cluster has no leader to restart.");
                await etcdLeader.KillAsync().ConfigureAwait(false);
                await Task.Delay(downFor, cancellationToken).ConfigureAwait(false);
                await cluster.RestartAsync(etcdLeader).ConfigureAwait(false);
                return $"etcd member {etcdLeader.Name}";
            default:
                throw new ArgumentException("Restarting the leader needs a local cluster: --zk local:3 or --etcd local:3.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_owned is not null)
        {
            await _owned.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>UTF-8 bytes of an instance string.</summary>
    public static byte[] Bytes(string instance) => Encoding.UTF8.GetBytes(instance);
}
