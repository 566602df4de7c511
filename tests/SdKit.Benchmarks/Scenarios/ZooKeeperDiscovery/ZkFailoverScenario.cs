using System.Diagnostics;
using System.Globalization;
using SdKit.Client;
using SdKit.Instances;
using SdKit.Testing.Network;
using SdKit.ZooKeeper.Discovery;

namespace SdKit.Benchmarks.Scenarios.ZooKeeperDiscovery;

/// <summary>
/// <c>zk-failover</c>: a registering session dies without closeSession — how long until a watcher's Instancer no
/// longer lists its instance, next to the negotiated session timeout. Each round uses a fresh session.
/// <c>--mode cut</c> (the default) cuts and stalls the registering client's connection through a
/// <see cref="LoopbackProxy"/>; <c>--mode kill</c> registers from a child process (<c>zk-holder</c>) and kills it with SIGKILL.
/// </summary>
internal sealed class ZkFailoverScenario : IScenario
{
    public string Name => "zk-failover";

    public string Usage => "--zk HOSTS|local [--session-ms 2000] [--rounds 10] [--mode cut|kill]";

    public async Task<int> RunAsync(ScenarioArguments arguments, CancellationToken cancellationToken)
    {
        var sessionMs = arguments.Int("session-ms", 2000);
        var rounds = Math.Max(1, arguments.Int("rounds", 10));
        var mode = arguments.String("mode", "cut");
        if (mode is not ("cut" or "kill"))
        {
            throw new ArgumentException($"--mode must be cut or kill, not '{mode}'.", nameof(arguments));
        }
        var (connectString, owned) = await ZkScenarioSupport.ServersAsync(arguments);
        await using var servers = owned;
        var firstPort = int.Parse(connectString.Split(',')[0].Split('/')[0].Split(':')[1], CultureInfo.InvariantCulture);
        var path = $"/sdkit-bench/{Guid.NewGuid():N}/svc";
        await using var watching = await ZooKeeperDiscoveryClient.ConnectAsync(ZkScenarioSupport.Options(connectString, TimeSpan.FromSeconds(4)), cancellationToken: cancellationToken);
        await using var watcher = new InstanceWatcher(new Instancer(watching, path));
        var removals = new List<double>();
        var negotiated = TimeSpan.Zero;
        for (var round = 0; round < rounds; round++)
        {
            var instance = $"10.9.0.{round}:8080";
            var (removal, timeout) = mode == "kill"
                ? await KillRoundAsync(watcher, connectString, path, instance, sessionMs, cancellationToken)
                : await CutRoundAsync(watcher, firstPort, path, instance, sessionMs, cancellationToken);
            removals.Add(removal);
            negotiated = timeout;
        }

        removals.Sort();
        var limit = negotiated.TotalMilliseconds + 1000;
        ScenarioFigures.PrintJson(new Dictionary<string, object>
        {
            ["scenario"] = Name,
            ["zk"] = connectString,
            ["mode"] = mode,
            ["rounds"] = rounds,
            ["session_timeout_ms"] = negotiated.TotalMilliseconds,
            ["removal_p50_ms"] = ScenarioFigures.Round(ScenarioFigures.Percentile(removals, 50)),
            ["removal_max_ms"] = ScenarioFigures.Round(removals[^1]),
            ["removal_min_ms"] = ScenarioFigures.Round(removals[0]),
            ["target_ms"] = limit,
            ["within_target"] = removals[^1] <= limit,
        });
        return 0;
    }

    /// <summary>One round of <c>--mode cut</c>: the registering client's socket is cut and the network stalled.</summary>
    private static async Task<(double RemovalMs, TimeSpan Negotiated)> CutRoundAsync(InstanceWatcher watcher, int firstPort, string path, string instance, int sessionMs, CancellationToken cancellationToken)
    {
        await using var proxy = LoopbackProxy.Start(firstPort);
        await using var registering = await ZooKeeperDiscoveryClient.ConnectAsync(ZkScenarioSupport.Options(proxy.Endpoint, TimeSpan.FromMilliseconds(sessionMs)), cancellationToken: cancellationToken);
        var negotiated = registering.ZooKeeper.SessionTimeout;
        var seen = watcher.Expect(e => e.Instances.Contains(instance));
        await registering.RegisterAsync(new ServiceEntry(path, instance), cancellationToken);
        await seen.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);

        var gone = watcher.Expect(e => e.Error is null && !e.Instances.Contains(instance));
        proxy.Stall();
        proxy.CutAll();
        var died = Stopwatch.GetTimestamp();
        var removed = await gone.WaitAsync(negotiated * 3 + TimeSpan.FromSeconds(10), cancellationToken);
        proxy.Resume();
        return (Stopwatch.GetElapsedTime(died, removed).TotalMilliseconds, negotiated);
    }

    /// <summary>One round of <c>--mode kill</c>: a <c>zk-holder</c> child process registers and is killed with SIGKILL.</summary>
    private static async Task<(double RemovalMs, TimeSpan Negotiated)> KillRoundAsync(InstanceWatcher watcher, string connectString, string path, string instance, int sessionMs, CancellationToken cancellationToken)
    {
        var seen = watcher.Expect(e => e.Instances.Contains(instance));
        var (holder, registered) = HolderProcess.Start("zk-holder", ["--zk", connectString, "--path", path, "--instance", instance, "--session-ms", sessionMs.ToString(CultureInfo.InvariantCulture)]);
        using (holder)
        {
            try
            {
                var negotiated = TimeSpan.FromMilliseconds(double.Parse(registered.Split(' ')[^1], CultureInfo.InvariantCulture));
                await seen.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
                var gone = watcher.Expect(e => e.Error is null && !e.Instances.Contains(instance));
                holder.Kill();
                var died = Stopwatch.GetTimestamp();
                var removed = await gone.WaitAsync(negotiated * 3 + TimeSpan.FromSeconds(10), cancellationToken);
                return (Stopwatch.GetElapsedTime(died, removed).TotalMilliseconds, negotiated);
            }
            finally
            {
                if (!holder.HasExited)
                {
                    holder.Kill();
                }
            }
        }
    }
}
