using System.Diagnostics;
using System.Globalization;
using SdKit.ZooKeeper.Client;

namespace SdKit.Benchmarks.Scenarios.ZooKeeper;

/// <summary>
/// <c>zk-throughput</c>: request throughput and latency of SdKit's ZooKeeper client against a real server, printed as one
/// JSON line. <c>--client java</c> runs the same workload with the official Java client (compiled at run time).
/// </summary>
public sealed class ZooKeeperThroughputScenario : IScenario
{
    private const int WarmupOps = 2000;

    /// <inheritdoc/>
    public string Name => "zk-throughput";

    /// <inheritdoc/>
    public string Usage => "--zk 127.0.0.1:2181 --mode get|create|sync|children --ops N --concurrency C [--children K] [--client sdkit|java]";

    /// <inheritdoc/>
    public async Task<int> RunAsync(ScenarioArguments arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var settings = ThroughputSettings.Parse(arguments);
        if (settings.Client == "java")
        {
            return await JavaThroughputRunner.RunAsync(settings, cancellationToken).ConfigureAwait(false);
        }

        var options = new ZooKeeperClientOptions { ConnectString = settings.ConnectString, SessionTimeout = TimeSpan.FromSeconds(30) };
        await using var client = await ZooKeeperClient.ConnectAsync(options, cancellationToken: cancellationToken).ConfigureAwait(false);
        var root = $"/sdkit-bench-{Guid.NewGuid():N}";
        await client.CreateAsync(root, default, cancellationToken: cancellationToken).ConfigureAwait(false);
        try
        {
            var workload = await ThroughputWorkload.PrepareAsync(client, root, settings, cancellationToken).ConfigureAwait(false);
            await RunPhaseAsync(workload, Math.Min(WarmupOps, settings.Ops), settings.Concurrency, cancellationToken).ConfigureAwait(false);
            GC.Collect();
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var result = await RunPhaseAsync(workload, settings.Ops, settings.Concurrency, cancellationToken).ConfigureAwait(false);
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            Console.WriteLine(result.ToJson("sdkit", settings, allocated / (double)settings.Ops));
            return result.Errors == 0 ? 0 : 1;
        }
        finally
        {
            await ThroughputWorkload.DeleteTreeAsync(client, root).ConfigureAwait(false);
        }
    }

    private static async Task<ThroughputResult> RunPhaseAsync(ThroughputWorkload workload, int ops, int concurrency, CancellationToken cancellationToken)
    {
        var latencies = new long[ops];
        var next = -1;
        var errors = 0;
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < ops && !cancellationToken.IsCancellationRequested)
            {
                var begin = Stopwatch.GetTimestamp();
                try
                {
                    await workload.RunOneAsync(index, cancellationToken).ConfigureAwait(false);
                }
                catch (ZooKeeperException)
                {
                    Interlocked.Increment(ref errors);
                }

                latencies[index] = Stopwatch.GetTimestamp() - begin;
            }
        }).ToList();
        await Task.WhenAll(workers).ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return ThroughputResult.From(latencies, seconds, errors);
    }
}

/// <summary>The parsed options of <c>zk-throughput</c>.</summary>
internal sealed record ThroughputSettings(string ConnectString, string Mode, int Ops, int Concurrency, int Children, string Client)
{
    public static ThroughputSettings Parse(ScenarioArguments arguments)
    {
        var mode = arguments.String("mode", "get");
        if (mode is not ("get" or "create" or "sync" or "children"))
        {
            throw new ArgumentException($"The option --mode must be get, create, sync or children, not '{mode}'.");
        }

        var client = arguments.String("client", "sdkit");
        if (client is not ("sdkit" or "java"))
        {
            throw new ArgumentException($"The option --client must be sdkit or java, not '{client}'.");
        }

        var ops = arguments.Int("ops", 100_000);
        var concurrency = mode == "sync" ? 1 : arguments.Int("concurrency", 100);
        var children = arguments.Int("children", 100);
        if (ops < 1 || concurrency < 1 || children < 1)
        {
            throw new ArgumentException("The options --ops, --concurrency and --children must be at least 1.");
        }

        return new ThroughputSettings(arguments.String("zk"), mode, ops, concurrency, children, client);
    }
}

/// <summary>Throughput and latency percentiles of one measured phase.</summary>
internal sealed record ThroughputResult(double Seconds, int Ops, double P50Micros, double P99Micros, int Errors)
{
    public static ThroughputResult From(long[] latencyTicks, double seconds, int errors)
    {
        Array.Sort(latencyTicks);
        double Percentile(double p) => latencyTicks[Math.Min(latencyTicks.Length - 1, (int)(p * latencyTicks.Length))] * 1_000_000.0 / Stopwatch.Frequency;
        return new ThroughputResult(seconds, latencyTicks.Length, Percentile(0.50), Percentile(0.99), errors);
    }

    public string ToJson(string client, ThroughputSettings settings, double allocatedBytesPerOp) => string.Create(
        CultureInfo.InvariantCulture,
        $"{{\"client\":\"{client}\",\"mode\":\"{settings.Mode}\",\"ops\":{Ops},\"concurrency\":{settings.Concurrency},\"seconds\":{Seconds:0.###},\"ops_per_sec\":{Ops / Seconds:0},\"p50_us\":{P50Micros:0.#},\"p99_us\":{P99Micros:0.#},\"errors\":{Errors},\"alloc_bytes_per_op\":{allocatedBytesPerOp:0}}}");
}
