using System.Diagnostics;
using SdKit.Client;
using SdKit.Etcd;
using SdKit.Instances;

namespace SdKit.Benchmarks.Scenarios.Etcd;

/// <summary>
/// <c>etcd-propagation</c>: how long after <see cref="IDiscoveryClient.RegisterAsync"/> returns until the subscribers of
/// N Instancers all see the new instance. The Instancers share C etcd clients (default: one client each, as N separate
/// watching processes would have).
/// Each round registers one new entry, waits for every subscriber, then deregisters it and waits for that too.
/// </summary>
internal sealed class EtcdPropagationScenario : IScenario
{
    public string Name => "etcd-propagation";

    public string Usage => "--etcd URLS|local|local:N --watchers N --registrations R [--clients C] [--warmup W]";

    public async Task<int> RunAsync(ScenarioArguments arguments, CancellationToken cancellationToken)
    {
        var watcherCount = arguments.Int("watchers", 10);
        var registrations = arguments.Int("registrations", 100);
        var warmup = arguments.Int("warmup", 20);
        var clientCount = Math.Clamp(arguments.Int("clients", watcherCount), 1, Math.Max(1, watcherCount));
        var (endpoints, owned) = await EtcdScenarioSupport.EndpointsAsync(arguments);
        await using var cluster = owned;
        var path = $"/sdkit-bench/{Guid.NewGuid():N}/svc";
        await using var registering = await EtcdDiscoveryClient.ConnectAsync(EtcdScenarioSupport.Options(endpoints, 10), cancellationToken: cancellationToken);
        var watchers = new List<Watcher>();
        var clients = new List<EtcdDiscoveryClient>();
        try
        {
            for (var i = 0; i < clientCount; i++)
            {
                clients.Add(await EtcdDiscoveryClient.ConnectAsync(EtcdScenarioSupport.Options(endpoints, 10), cancellationToken: cancellationToken));
            }

            for (var i = 0; i < watcherCount; i++)
            {
                watchers.Add(new Watcher(new Instancer(clients[i % clientCount], path)));
            }

            var latencies = new List<double>();
            var fromCall = new List<double>();
            var beforeReturn = 0;
            for (var round = 0; round < warmup + registrations; round++)
            {
                var instance = $"10.0.{round / 250}.{round % 250}:8080";
                var seen = watchers.Select(w => w.Expect(instance, present: true)).ToArray();
                var called = Stopwatch.GetTimestamp();
                var registration = await registering.RegisterAsync(new ServiceEntry(path, instance), cancellationToken);
                var registered = Stopwatch.GetTimestamp();
                var times = await Task.WhenAll(seen).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
                if (round >= warmup)
                {
                    // The watch event can overtake the put's own answer: the last subscriber then saw it "before" the
                    // return, which counts as 0 ms (and is counted).
                    var last = times.Max();
                    beforeReturn += last < registered ? 1 : 0;
                    latencies.Add(Math.Max(0, Stopwatch.GetElapsedTime(registered, last).TotalMilliseconds));
                    fromCall.Add(Stopwatch.GetElapsedTime(called, last).TotalMilliseconds);
                }

                var gone = watchers.Select(w => w.Expect(instance, present: false)).ToArray();
                await registering.DeregisterAsync(registration, cancellationToken);
                await Task.WhenAll(gone).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            }

            latencies.Sort();
            fromCall.Sort();
            ScenarioFigures.PrintJson(new Dictionary<string, object>
            {
                ["scenario"] = Name,
                ["endpoints"] = string.Join(',', endpoints),
                ["watchers"] = watcherCount,
                ["clients"] = clientCount,
                ["registrations"] = registrations,
                ["p50_ms"] = ScenarioFigures.Round(ScenarioFigures.Percentile(latencies, 50)),
                ["p99_ms"] = ScenarioFigures.Round(ScenarioFigures.Percentile(latencies, 99)),
                ["max_ms"] = ScenarioFigures.Round(latencies[^1]),
                ["mean_ms"] = ScenarioFigures.Round(latencies.Average()),
                ["all_seen_before_return"] = beforeReturn,
                ["from_call_p50_ms"] = ScenarioFigures.Round(ScenarioFigures.Percentile(fromCall, 50)),
                ["from_call_p99_ms"] = ScenarioFigures.Round(ScenarioFigures.Percentile(fromCall, 99)),
            });
            return 0;
        }
        finally
        {
            foreach (var watcher in watchers)
            {
                await watcher.DisposeAsync();
            }

            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    /// <summary>One Instancer with one subscriber that stamps the moment an expected change arrives.</summary>
    private sealed class Watcher : IObserver<InstanceEvent>, IAsyncDisposable
    {
        private readonly Instancer _instancer;
        private readonly IDisposable _subscription;
        private readonly object _gate = new();
        private (string Instance, bool Present, TaskCompletionSource<long> Seen)? _expected;

        public Watcher(Instancer instancer)
        {
            _instancer = instancer;
            _subscription = instancer.Subscribe(this);
        }

        public Task<long> Expect(string instance, bool present)
        {
            var seen = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate)
            {
                _expected = (instance, present, seen);
            }

            Check(_instancer.Current);
            return seen.Task;
        }

        public void OnNext(InstanceEvent value) => Check(value);

        public void OnError(Exception error)
        {
        }

        public void OnCompleted()
        {
        }

        public async ValueTask DisposeAsync()
        {
            _subscription.Dispose();
            await _instancer.DisposeAsync();
        }

        private void Check(InstanceEvent value)
        {
            var now = Stopwatch.GetTimestamp();
            lock (_gate)
            {
                if (_expected is { } expected && value.Instances.Contains(expected.Instance) == expected.Present)
                {
                    expected.Seen.TrySetResult(now);
                    _expected = null;
                }
            }
        }
    }
}
