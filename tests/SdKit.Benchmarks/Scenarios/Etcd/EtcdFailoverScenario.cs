using System.Diagnostics;
using SdKit.Etcd;
using SdKit.Instances;

namespace SdKit.Benchmarks.Scenarios.Etcd;

/// <summary>
/// <c>etcd-failover</c>: a registering process (<c>etcd-holder</c>, a child of this one) dies with SIGKILL, so its lease is
/// never revoked; how long until a watcher's Instancer no longer lists it, next to the lease TTL.
/// </summary>
internal sealed class EtcdFailoverScenario : IScenario
{
    public string Name => "etcd-failover";

    public string Usage => "--etcd URLS|local|local:N [--ttl SECONDS] [--rounds N]";

    public async Task<int> RunAsync(ScenarioArguments arguments, CancellationToken cancellationToken)
    {
        var ttl = arguments.Int("ttl", 2);
        var rounds = arguments.Int("rounds", 5);
        var (endpoints, owned) = await EtcdScenarioSupport.EndpointsAsync(arguments);
        await using var cluster = owned;
        await using var watching = await EtcdDiscoveryClient.ConnectAsync(EtcdScenarioSupport.Options(endpoints, 10), cancellationToken: cancellationToken);
        var removals = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var path = $"/sdkit-bench/{Guid.NewGuid():N}/svc";
            var instance = $"10.1.0.{round}:8080";
            await using var instancer = new Instancer(watching, path);
            using var holder = StartHolder(string.Join(',', endpoints), path, instance, ttl);
            try
            {
                await WaitAsync(instancer, e => e.Instances.Contains(instance), cancellationToken);
                var removed = WaitAsync(instancer, e => !e.Instances.Contains(instance), cancellationToken);
                var killedAt = Stopwatch.GetTimestamp();
                holder.Kill();
                var seenAt = await removed.WaitAsync(TimeSpan.FromSeconds(ttl + 30), cancellationToken);
                removals.Add(Stopwatch.GetElapsedTime(killedAt, seenAt).TotalMilliseconds);
            }
            finally
            {
                if (!holder.HasExited)
                {
                    holder.Kill();
                }
            }
        }

        removals.Sort();
        ScenarioFigures.PrintJson(new Dictionary<string, object>
        {
            ["scenario"] = Name,
            ["endpoints"] = string.Join(',', endpoints),
            ["ttl_s"] = ttl,
            ["rounds"] = rounds,
            ["removal_min_ms"] = ScenarioFigures.Round(removals[0]),
            ["removal_p50_ms"] = ScenarioFigures.Round(ScenarioFigures.Percentile(removals, 50)),
            ["removal_max_ms"] = ScenarioFigures.Round(removals[^1]),
            ["within_ttl_plus_1s"] = removals[^1] <= (ttl + 1) * 1000.0,
        });
        return 0;
    }

    /// <summary>Resolves when the instancer publishes an event matching <paramref name="condition"/>, with the moment it did.</summary>
    private static async Task<long> WaitAsync(Instancer instancer, Func<InstanceEvent, bool> condition, CancellationToken cancellationToken)
    {
        var seen = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = instancer.Subscribe(new Probe(e =>
        {
            if (e.Error is null && condition(e))
            {
                seen.TrySetResult(Stopwatch.GetTimestamp());
            }
        }));
        return await seen.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
    }

    /// <summary>Starts <c>etcd-holder</c> in a child process of this same program and waits until it has registered.</summary>
    private static Process StartHolder(string endpoints, string path, string instance, int ttl)
        => HolderProcess.Start("etcd-holder", ["--etcd", endpoints, "--path", path, "--instance", instance, "--ttl", ttl.ToString(System.Globalization.CultureInfo.InvariantCulture)]).Process;

    private sealed class Probe(Action<InstanceEvent> onNext) : IObserver<InstanceEvent>
    {
        public void OnNext(InstanceEvent value) => onNext(value);

        public void OnError(Exception error)
        {
        }

        public void OnCompleted()
        {
        }
    }
}
