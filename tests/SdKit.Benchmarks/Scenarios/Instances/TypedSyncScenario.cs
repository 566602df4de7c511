using System.Diagnostics;
using System.Globalization;
using SdKit.Benchmarks.Scenarios.Scale;
using SdKit.Client;
using SdKit.Endpoints;
using SdKit.Instances;
using SdKit.Instances.Codecs;
using SdKit.LoadBalancing;

namespace SdKit.Benchmarks.Scenarios.Instances;

/// <summary>
/// <c>typed-sync</c> (issue #15): the cost of typed instances against today's string path, in one run on one
/// registry. Two service paths of N instances each: one of the seed's plain <c>host:port</c> strings, one of Apache
/// Curator's x-discovery JSON with a payload of metadata. Per round and per path a new discovery client, Instancer and
/// pipeline until it holds all N (initial sync): the string path (Endpointer of strings), and the typed path
/// (Endpointer of <see cref="ServiceInstance"/> decoded by the codec, plus a <see cref="TypedInstancer"/> with its
/// deltas). Then single changes on the Curator path, timed from the Instancer's event to the typed Endpointer's set,
/// which is what a balancer reads.
/// </summary>
internal sealed class TypedSyncScenario : IScenario
{
    private const string ServiceName = "typed";

    public string Name => "typed-sync";

    public string Usage => "--backend zk|etcd --zk HOSTS|local | --etcd URLS|local [--instances 10000] [--rounds 5] [--changes 20] [--fill-in-flight 1000]";

    public async Task<int> RunAsync(ScenarioArguments arguments, CancellationToken cancellationToken)
    {
        var size = Math.Max(1, arguments.Int("instances", 10_000));
        var rounds = Math.Max(1, arguments.Int("rounds", 5));
        var changes = Math.Max(3, arguments.Int("changes", 20));
        var fillInFlight = Math.Max(1, arguments.Int("fill-in-flight", 1000));
        var curator = new CuratorJsonCodec(ServiceName);
        await using var backend = await ScaleBackend.StartAsync(arguments);
        await using var registering = await backend.ConnectAsync(TimeSpan.FromSeconds(30), cancellationToken);

        var root = $"/sdkit-bench/{Guid.NewGuid():N}";
        var plainPath = $"{root}/plain";
        var curatorPath = $"{root}/{ServiceName}";
        var filled = Stopwatch.GetTimestamp();
        var plainEntries = await ScaleBackend.RegisterManyAsync(registering, plainPath, 0, size, fillInFlight, cancellationToken);
        var curatorEntries = await ScaleBackend.RegisterManyAsync(registering, curatorPath, 0, size, fillInFlight, cancellationToken, i => CuratorValue(curator, i));
        var fillMs = ScaleMachine.Since(filled);

        var stringSync = new List<double>();
        var plainTypedSync = new List<double>();
        var curatorStringSync = new List<double>();
        var curatorTypedSync = new List<double>();
        var curatorTypedInstancerSync = new List<double>();
        var eventToTypedSet = new List<double>();
        var eventToStringSet = new List<double>();
        var plainRaw = new List<double>();
        var curatorRaw = new List<double>();
        var costs = new Dictionary<string, List<SyncCost>>
        {
            ["plain_string"] = [], ["curator_string"] = [], ["curator_typed"] = [],
        };
        var load = new List<double> { ScaleMachine.LoadAverage() };
        for (var round = 0; round < rounds; round++)
        {
            if (backend.IsZooKeeper)
            {
                plainRaw.Add(await RawReadAsync(backend, plainPath, size, cancellationToken));
                curatorRaw.Add(await RawReadAsync(backend, curatorPath, size, cancellationToken));
            }

            stringSync.Add(await Measured(costs["plain_string"], () => SyncAsync(backend, plainPath, size, codec: null, cancellationToken)));
            plainTypedSync.Add(await SyncAsync(backend, plainPath, size, PlainInstanceCodec.Instance, cancellationToken));
            curatorStringSync.Add(await Measured(costs["curator_string"], () => SyncAsync(backend, curatorPath, size, codec: null, cancellationToken)));
            curatorTypedSync.Add(await Measured(costs["curator_typed"], () => SyncAsync(backend, curatorPath, size, curator, cancellationToken)));
            curatorTypedInstancerSync.Add(await TypedInstancerSyncAsync(backend, curatorPath, size, curator, cancellationToken));
            await ChangesAsync(backend, registering, curatorPath, size, curator, changes, round, eventToTypedSet, eventToStringSet, cancellationToken);
            load.Add(ScaleMachine.LoadAverage());
        }

        var (decodeColdMs, decodeWarmMs) = DecodeCost(curator, size);
        foreach (var list in new[] { stringSync, plainTypedSync, curatorStringSync, curatorTypedSync, curatorTypedInstancerSync, eventToTypedSet, eventToStringSet, plainRaw, curatorRaw })
        {
            list.Sort();
        }

        double P50(List<double> list) => ScenarioFigures.Round(ScenarioFigures.Percentile(list, 50));
        ScenarioFigures.PrintJson(new Dictionary<string, object>
        {
            ["scenario"] = Name,
            ["backend"] = backend.Kind,
            ["target"] = backend.Target,
            ["instances"] = size,
            ["rounds"] = rounds,
            ["fill_ms"] = fillMs,
            ["curator_value_bytes"] = CuratorValue(curator, 0).Length,
            ["plain_string_sync_p50_ms"] = P50(stringSync),
            ["plain_typed_sync_p50_ms"] = P50(plainTypedSync),
            ["curator_string_sync_p50_ms"] = P50(curatorStringSync),
            ["curator_typed_sync_p50_ms"] = P50(curatorTypedSync),
            ["curator_typed_sync_max_ms"] = ScenarioFigures.Round(curatorTypedSync[^1]),
            ["curator_typed_instancer_sync_p50_ms"] = P50(curatorTypedInstancerSync),
            ["curator_typed_vs_plain_string"] = Math.Round(ScenarioFigures.Percentile(curatorTypedSync, 50) / ScenarioFigures.Percentile(stringSync, 50), 2),
            ["raw_read_plain_p50_ms"] = plainRaw.Count > 0 ? P50(plainRaw) : -1,
            ["raw_read_curator_p50_ms"] = curatorRaw.Count > 0 ? P50(curatorRaw) : -1,
            ["alloc_mb_plain_string"] = SyncCost.MedianMb(costs["plain_string"]),
            ["alloc_mb_curator_string"] = SyncCost.MedianMb(costs["curator_string"]),
            ["alloc_mb_curator_typed"] = SyncCost.MedianMb(costs["curator_typed"]),
            ["gc_gen0_gen1_plain_string"] = SyncCost.Collections(costs["plain_string"]),
            ["gc_gen0_gen1_curator_string"] = SyncCost.Collections(costs["curator_string"]),
            ["gc_gen0_gen1_curator_typed"] = SyncCost.Collections(costs["curator_typed"]),
            ["gc_pause_ms_curator_typed"] = SyncCost.MedianPauseMs(costs["curator_typed"]),
            ["cpu_decode_curator_first_ms"] = decodeColdMs,
            ["cpu_decode_curator_best_ms"] = decodeWarmMs,
            ["change_event_to_typed_set_p50_ms"] = ScenarioFigures.Round(ScenarioFigures.Percentile(eventToTypedSet, 50)),
            ["change_event_to_typed_set_max_ms"] = ScenarioFigures.Round(eventToTypedSet[^1]),
            ["change_event_to_string_set_p50_ms"] = ScenarioFigures.Round(ScenarioFigures.Percentile(eventToStringSet, 50)),
            ["load_avg"] = string.Join('/', load.Select(l => l.ToString("0.0", CultureInfo.InvariantCulture))),
        });

        foreach (var chunk in plainEntries.Concat(curatorEntries).Chunk(1000))
        {
            await Task.WhenAll(chunk.Select(e => registering.DeregisterAsync(e, cancellationToken).AsTask()));
        }

        return 0;
    }

    /// <summary>Runs one sync and records what the process allocated and collected meanwhile (every thread: the client's read loop allocates most).</summary>
    private static async Task<double> Measured(List<SyncCost> into, Func<Task<double>> sync)
    {
        var allocated = GC.GetTotalAllocatedBytes(precise: false);
        var gen0 = GC.CollectionCount(0);
        var gen1 = GC.CollectionCount(1);
        var paused = GC.GetTotalPauseDuration();
        var ms = await sync();
        into.Add(new SyncCost(GC.GetTotalAllocatedBytes(precise: false) - allocated, GC.CollectionCount(0) - gen0, GC.CollectionCount(1) - gen1, (GC.GetTotalPauseDuration() - paused).TotalMilliseconds));
        return ms;
    }

    /// <summary>
    /// The wire and the server alone: a bare session lists the path and reads every node in multiRead batches of 256,
    /// all in flight, touching only the data's length (no strings, no instancer), timed from before connect like the syncs. What no client-side change can cut.
    /// </summary>
    private static async Task<double> RawReadAsync(ScaleBackend backend, string path, int size, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await using var client = (SdKit.ZooKeeper.Discovery.ZooKeeperDiscoveryClient)await backend.ConnectAsync(TimeSpan.FromSeconds(4), cancellationToken);
        var zk = client.ZooKeeper;
        var children = (await zk.GetChildrenAsync(path, cancellationToken)).Children;
        var reads = children.Chunk(256).Select(chunk => zk.MultiReadAsync(chunk.Select(name => SdKit.ZooKeeper.Client.ReadOp.GetData(path + "/" + name)), cancellationToken)).ToList();
        long bytes = 0;
        foreach (var read in reads)
        {
            foreach (var result in await read)
            {
                bytes += result is SdKit.ZooKeeper.Client.GetDataOpResult data ? data.Node.Data.Length : 0;
            }
        }

        var ms = ScaleMachine.Since(started);
        if (children.Count != size || bytes == 0)
        {
            throw new InvalidOperationException($"The raw read of '{path}' found {children.Count} nodes ({bytes} bytes), not {size}.");
        }

        return ms;
    }

    /// <summary>What one sync allocated and collected, process-wide.</summary>
    private readonly record struct SyncCost(long Allocated, int Gen0, int Gen1, double PauseMs)
    {
        public static double MedianMb(List<SyncCost> costs)
            => costs.Count == 0 ? -1 : Math.Round(costs.Select(c => c.Allocated / 1048576.0).Order().ElementAt(costs.Count / 2), 1);

        public static double MedianPauseMs(List<SyncCost> costs)
            => costs.Count == 0 ? -1 : ScenarioFigures.Round(costs.Select(c => c.PauseMs).Order().ElementAt(costs.Count / 2));

        public static string Collections(List<SyncCost> costs)
            => costs.Count == 0 ? "" : $"{costs.Select(c => c.Gen0).Order().ElementAt(costs.Count / 2)}/{costs.Select(c => c.Gen1).Order().ElementAt(costs.Count / 2)}";
    }

    /// <summary>The CPU cost, in the runner's process, of decoding N distinct Curator values: the first pass and the best of five.</summary>
    private static (double First, double Best) DecodeCost(CuratorJsonCodec codec, int size)
    {
        var values = Enumerable.Range(0, size).Select(i => CuratorValue(codec, i)).ToArray();
        var first = 0.0;
        var best = double.MaxValue;
        for (var pass = 0; pass < 5; pass++)
        {
            var started = Stopwatch.GetTimestamp();
            foreach (var value in values)
            {
                _ = codec.Decode(value);
            }

            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            first = pass == 0 ? ms : first;
            best = Math.Min(best, ms);
        }

        return (ScenarioFigures.Round(first), ScenarioFigures.Round(best));
    }

    /// <summary>Curator's JSON for instance <paramref name="i"/>: the address of the plain path's instance i, a payload of metadata.</summary>
    private static string CuratorValue(CuratorJsonCodec codec, int i)
    {
        var address = ScaleBackend.Instance(i);
        var host = address[..address.LastIndexOf(':')];
        var metadata = new Dictionary<string, string>
        {
            ["version"] = $"1.{i % 7}.{i % 3}",
            ["zone"] = $"zone-{i % 3}",
            ["weight"] = "1",
        };
        return codec.Encode(new ServiceInstance($"{Guid.NewGuid()}", host, 8080, metadata: metadata));
    }

    /// <summary>From connect until the Endpointer (of strings, or of decoded instances) holds all N.</summary>
    private static async Task<double> SyncAsync(ScaleBackend backend, string path, int size, IInstanceCodec? codec, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var client = await backend.ConnectAsync(TimeSpan.FromSeconds(4), cancellationToken);
        var instancer = new Instancer(client, path);
        long synced;
        if (codec is null)
        {
            var endpointer = new Endpointer<string>(instancer, instance => (instance, null));
            using var sets = new StampingObserver<IReadOnlyList<string>>(endpointer);
            synced = await sets.Expect(s => s.Count == size).WaitAsync(TimeSpan.FromMinutes(3), cancellationToken);
            _ = Balancers.Random(endpointer).Pick();
            await endpointer.DisposeAsync();
        }
        else
        {
            var endpointer = new Endpointer<ServiceInstance>(instancer, Decoder(codec));
            using var sets = new StampingObserver<IReadOnlyList<ServiceInstance>>(endpointer);
            synced = await sets.Expect(s => s.Count == size).WaitAsync(TimeSpan.FromMinutes(3), cancellationToken);
            _ = Balancers.Random(endpointer).Pick();
            await endpointer.DisposeAsync();
        }

        var ms = ScaleMachine.Between(started, synced);
        await instancer.DisposeAsync();
        await client.DisposeAsync();
        return ms;
    }

    /// <summary>From connect until the <see cref="TypedInstancer"/> publishes all N decoded instances.</summary>
    private static async Task<double> TypedInstancerSyncAsync(ScaleBackend backend, string path, int size, IInstanceCodec codec, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var client = await backend.ConnectAsync(TimeSpan.FromSeconds(4), cancellationToken);
        var instancer = new Instancer(client, path);
        var typed = new TypedInstancer(instancer, codec);
        using var events = new StampingObserver<ServiceInstanceEvent>(typed);
        var synced = await events.Expect(e => e.Instances.Length == size).WaitAsync(TimeSpan.FromMinutes(3), cancellationToken);
        var ms = ScaleMachine.Between(started, synced);
        await typed.DisposeAsync();
        await instancer.DisposeAsync();
        await client.DisposeAsync();
        return ms;
    }

    /// <summary>One instance added and removed again, <paramref name="changes"/> times, each timed from the Instancer's event to both Endpointers' sets.</summary>
    private static async Task ChangesAsync(ScaleBackend backend, IDiscoveryClient registering, string path, int size, CuratorJsonCodec codec, int changes, int round,
        List<double> toTyped, List<double> toStrings, CancellationToken cancellationToken)
    {
        await using var client = await backend.ConnectAsync(TimeSpan.FromSeconds(4), cancellationToken);
        await using var instancer = new Instancer(client, path);
        await using var typedSet = new Endpointer<ServiceInstance>(instancer, Decoder(codec));
        await using var stringSet = new Endpointer<string>(instancer, instance => (instance, null));
        using var events = new StampingObserver<InstanceEvent>(instancer);
        using var typedSets = new StampingObserver<IReadOnlyList<ServiceInstance>>(typedSet);
        using var stringSets = new StampingObserver<IReadOnlyList<string>>(stringSet);
        await typedSets.Expect(s => s.Count == size).WaitAsync(TimeSpan.FromMinutes(3), cancellationToken);
        await stringSets.Expect(s => s.Count == size).WaitAsync(TimeSpan.FromMinutes(3), cancellationToken);
        for (var change = 0; change < changes; change++)
        {
            var eventSeen = events.Expect(e => e.Instances.Length == size + 1);
            var typedSeen = typedSets.Expect(s => s.Count == size + 1);
            var stringSeen = stringSets.Expect(s => s.Count == size + 1);
            var added = await registering.RegisterAsync(new ServiceEntry(path, CuratorValue(codec, size + 1 + round)), cancellationToken);
            var eventAt = await eventSeen.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            var typedAt = await typedSeen.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            var stringAt = await stringSeen.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            if (change >= 2)
            {
                // The first two changes warm the path up.
                toTyped.Add(ScaleMachine.Between(eventAt, typedAt));
                toStrings.Add(ScaleMachine.Between(eventAt, stringAt));
            }

            var gone = typedSets.Expect(s => s.Count == size);
            var goneStrings = stringSets.Expect(s => s.Count == size);
            await registering.DeregisterAsync(added, cancellationToken);
            await gone.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            await goneStrings.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        }
    }

    /// <summary>The typed path's endpoint factory: decodes each new instance string once (the Endpointer keeps the rest).</summary>
    private static EndpointFactory<ServiceInstance> Decoder(IInstanceCodec codec) => raw =>
    {
        var decoded = codec.Decode(raw);
        return (decoded.Instance ?? throw new FormatException(decoded.Failure), null);
    };
}
