using System.Diagnostics;
using System.Text;
using SdKit.Instances;
using SdKit.ZooKeeper.Client;
using SdKit.ZooKeeper.Discovery;

namespace SdKit.Benchmarks.Scenarios.ZooKeeperDiscovery;

/// <summary>
/// <c>zk-sync</c>: one service with C instances (go-kit's protected nodes); how long a new Instancer takes to deliver
/// the full set (connect, list, the data read in multiRead batches of <c>--batch</c> nodes, 1 = one getData each, all in flight), and what the same read costs one child at a time as go-kit does it
/// (list, then one getData after another). Also the bytes allocated and retained by the synced Instancer.
/// </summary>
internal sealed class ZkSyncScenario : IScenario
{
    public string Name => "zk-sync";

    public string Usage => "--zk HOSTS|local --children 10000 [--rounds 5] [--batch 256]";

    public async Task<int> RunAsync(ScenarioArguments arguments, CancellationToken cancellationToken)
    {
        var count = Math.Max(1, arguments.Int("children", 10_000));
        var rounds = Math.Max(1, arguments.Int("rounds", 5));
        var batch = arguments.Int("batch", ZooKeeperDiscoveryOptions.DefaultReadBatchSize);
        var (connectString, owned) = await ZkScenarioSupport.ServersAsync(arguments);
        await using var servers = owned;
        var path = $"/sdkit-bench/{Guid.NewGuid():N}/svc";
        await using var holder = await ZkScenarioSupport.RawAsync(connectString, cancellationToken);
        await ZkScenarioSupport.CreatePathAsync(holder, path, cancellationToken);
        for (var first = 0; first < count; first += 1000)
        {
            await Task.WhenAll(Enumerable.Range(first, Math.Min(1000, count - first)).Select(i => holder.CreateAsync(
                $"{path}/_c_{Guid.NewGuid():N}-", Encoding.UTF8.GetBytes($"10.{i / 65536}.{i / 256 % 256}.{i % 256}:8080"), CreateMode.EphemeralSequential, cancellationToken: cancellationToken)));
        }

        var pipelined = new List<double>();
        var oneByOne = new List<double>();
        var rawPipelined = new List<double>();
        long allocated = 0;
        long retained = 0;
        for (var round = 0; round < rounds; round++)
        {
            (var elapsed, allocated, retained) = await InstancerSyncAsync(connectString, path, count, batch, cancellationToken);
            pipelined.Add(elapsed);
            oneByOne.Add(await OneByOneAsync(connectString, path, count, cancellationToken));
            rawPipelined.Add(await RawPipelinedAsync(connectString, path, count, cancellationToken));
        }

        rawPipelined.Sort();

        pipelined.Sort();
        oneByOne.Sort();
        var median = ScenarioFigures.Percentile(pipelined, 50);
        var sequentialMedian = ScenarioFigures.Percentile(oneByOne, 50);
        ScenarioFigures.PrintJson(new Dictionary<string, object>
        {
            ["scenario"] = Name,
            ["zk"] = connectString,
            ["children"] = count,
            ["rounds"] = rounds,
            ["read_batch_size"] = batch,
            ["instancer_sync_p50_ms"] = ScenarioFigures.Round(median),
            ["instancer_sync_min_ms"] = ScenarioFigures.Round(pipelined[0]),
            ["one_by_one_p50_ms"] = ScenarioFigures.Round(sequentialMedian),
            ["one_by_one_min_ms"] = ScenarioFigures.Round(oneByOne[0]),
            ["raw_pipelined_p50_ms"] = ScenarioFigures.Round(ScenarioFigures.Percentile(rawPipelined, 50)),
            ["speedup"] = ScenarioFigures.Round(sequentialMedian / median),
            ["allocated_mb"] = ScenarioFigures.Round(allocated / 1048576.0),
            ["retained_mb"] = ScenarioFigures.Round(retained / 1048576.0),
            ["target_speedup"] = 10,
        });
        return 0;
    }

    /// <summary>Connects a discovery client and an Instancer and times the first event holding every child.</summary>
    private static async Task<(double Ms, long Allocated, long Retained)> InstancerSyncAsync(string connectString, string path, int count, int batch, CancellationToken cancellationToken)
    {
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var started = Stopwatch.GetTimestamp();
        var options = ZkScenarioSupport.Options(connectString, TimeSpan.FromSeconds(4));
        options.ReadBatchSize = batch;
        await using var client = await ZooKeeperDiscoveryClient.ConnectAsync(options, cancellationToken: cancellationToken);
        await using var watcher = new InstanceWatcher(new Instancer(client, path));
        var synced = await watcher.Expect(e => e.Instances.Length == count).WaitAsync(TimeSpan.FromMinutes(2), cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started, synced).TotalMilliseconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var retained = GC.GetTotalMemory(forceFullCollection: true) - baseline;
        return (elapsed, allocated, retained);
    }

    /// <summary>The unbatched floor: connect, list, then every getData in flight at once on the bare client, no Instancer.</summary>
    private static async Task<double> RawPipelinedAsync(string connectString, string path, int count, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await using var client = await ZkScenarioSupport.RawAsync(connectString, cancellationToken);
        var children = await client.GetChildrenAsync(path, cancellationToken);
        var nodes = await Task.WhenAll(children.Children.Select(child => client.GetDataAsync(path + "/" + child, cancellationToken)));
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return nodes.Length == count ? elapsed : throw new InvalidOperationException($"Read {nodes.Length} instances pipelined, expected {count}.");
    }

    /// <summary>go-kit's way: connect, list, then read each child's data and wait for it before the next.</summary>
    private static async Task<double> OneByOneAsync(string connectString, string path, int count, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await using var client = await ZkScenarioSupport.RawAsync(connectString, cancellationToken);
        var children = await client.GetChildrenAsync(path, cancellationToken);
        var instances = new List<string>(children.Children.Count);
        foreach (var child in children.Children)
        {
            var node = await client.GetDataAsync(path + "/" + child, cancellationToken);
            instances.Add(Encoding.UTF8.GetString(node.Data.Span));
        }

        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return instances.Count == count ? elapsed : throw new InvalidOperationException($"Read {instances.Count} instances one by one, expected {count}.");
    }
}
