using System.Diagnostics;
using System.Globalization;
using SdKit.Client;
using SdKit.Instances;
using SdKit.Testing.Network;
using SdKit.ZooKeeper.Discovery;

namespace SdKit.Benchmarks.Scenarios.ZooKeeperDiscovery;

/// <summary>
/// <c>zk-failover</c>: a registering client whose connection goes silent (its socket cut and the network stalled
/// through a <see cref="LoopbackProxy"/>, so no closeSession is ever sent) — how long until a watcher's Instancer no
/// longer lists its instance, next to the negotiated session timeout. Each round uses a fresh session.
/// </summary>
internal sealed class ZkFailoverScenario : IScenario
{
    public string Name => "zk-failover";

    public string Usage => "--zk HOSTS|local [--session-ms 2000] [--rounds 10]";

    public async Task<int> RunAsync(ScenarioArguments arguments, CancellationToken cancellationToken)
    {
        var sessionMs = arguments.Int("session-ms", 2000);
        var rounds = Math.Max(1, arguments.Int("rounds", 10));
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
            await using var proxy = LoopbackProxy.Start(firstPort);
            var registering = await ZooKeeperDiscoveryClient.ConnectAsync(ZkScenarioSupport.Options(proxy.Endpoint, TimeSpan.FromMilliseconds(sessionMs)), cancellationToken: cancellationToken);
            try
            {
                negotiated = registering.ZooKeeper.SessionTimeout;
                var instance = $"10.9.0.{round}:8080";
                var seen = watcher.Expect(e => e.Instances.Contains(instance));
                await registering.RegisterAsync(new ServiceEntry(path, instance), cancellationToken);
                await seen.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);

                var gone = watcher.Expect(e => e.Error is null && !e.Instances.Contains(instance));
                proxy.Stall();
                proxy.CutAll();
                var died = Stopwatch.GetTimestamp();
                var removed = await gone.WaitAsync(negotiated * 3 + TimeSpan.FromSeconds(10), cancellationToken);
                removals.Add(Stopwatch.GetElapsedTime(died, removed).TotalMilliseconds);
                proxy.Resume();
            }
            finally
            {
                await registering.DisposeAsync();
            }
        }

        removals.Sort();
        var limit = negotiated.TotalMilliseconds + 1000;
        ZkScenarioSupport.PrintJson(new Dictionary<string, object>
        {
            ["scenario"] = Name,
            ["zk"] = connectString,
            ["rounds"] = rounds,
            ["session_timeout_ms"] = negotiated.TotalMilliseconds,
            ["removal_p50_ms"] = ZkScenarioSupport.Round(ZkScenarioSupport.Percentile(removals, 50)),
            ["removal_max_ms"] = ZkScenarioSupport.Round(removals[^1]),
            ["removal_min_ms"] = ZkScenarioSupport.Round(removals[0]),
            ["target_ms"] = limit,
            ["within_target"] = removals[^1] <= limit,
        });
        return 0;
    }
}
