using System.Collections.Concurrent;
using SdKit.Client;
using SdKit.Endpoints;
using SdKit.InMemory;
using SdKit.Instances;
using SdKit.LoadBalancing;
using SdKit.Registration;
using SdKit.Testing.Conformance;

namespace SdKit.Tests.EndToEnd;

/// <summary>Registrar -> registry -> Instancer -> Endpointer -> round robin -> Retry, with a session killed midway.</summary>
public sealed class InMemoryEndToEndTests
{
    private const string ServicePath = "/e2e/echo";
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Pipeline_SessionKilled_InstanceLeavesAndReturnsWhileCallsKeepSucceeding()
    {
        var registry = new InMemoryRegistry();
        var failing = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var fast = new BackoffOptions { InitialDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(50) };
        var servers = new List<(InMemoryDiscoveryClient Client, Registrar Registrar)>();
        for (var i = 1; i <= 3; i++)
        {
            var client = registry.CreateClient();
            var registrar = new Registrar(client, new ServiceEntry(ServicePath, $"s{i}"), new RegistrarOptions { Backoff = fast });
            await registrar.RegisterAsync();
            servers.Add((client, registrar));
        }

        await using var consumer = registry.CreateClient();
        await using var instancer = new Instancer(consumer, ServicePath, new InstancerOptions { Backoff = fast });
        await using var endpointer = new Endpointer<Endpoint<string, string>>(instancer, instance => (Echo(instance, failing), null));
        var sets = new ObservationRecorder<IReadOnlyList<Endpoint<string, string>>>();
        using var subscription = endpointer.Subscribe(sets);
        var call = Retry.Create(Balancers.RoundRobin(endpointer), new RetryOptions { MaxAttempts = 3, Backoff = fast });

        await sets.WaitForAsync(s => s.Count == 3, s_wait);
        Assert.Equal(["s1", "s2", "s3"], await CallersAsync(call, 30));

        // One instance fails its calls: Retry moves to the others and every call still succeeds.
        failing["s1"] = true;
        Assert.Equal(["s2", "s3"], await CallersAsync(call, 30));
        failing.Clear();

        // Kill s2's session: its entry vanishes, the endpointer drops it, then its registrar registers it again.
        var (victim, victimRegistrar) = servers[1];
        var states = new ObservationRecorder<RegistrationState>();
        using var stateSubscription = victimRegistrar.StateChanges.Subscribe(states);
        var mark = instancer.Current;
        victim.LoseSession();
        await sets.WaitForAsync(s => s.Count == 2, s_wait);
        Assert.Equal(["s1", "s3"], endpointer.Current.Instances.ToArray());
        Assert.Equal(["s1", "s3"], await CallersAsync(call, 30));
        await states.WaitForAsync(s => s == RegistrationState.Lost, s_wait);

        victim.Resume();
        var lostAt = states.Values.ToList().IndexOf(RegistrationState.Lost);
        await states.WaitForNextAsync(lostAt + 1, s => s == RegistrationState.Registered, s_wait);
        var healed = await InstancerEventAsync(instancer, e => e.Instances.Length == 3);
        Assert.NotSame(mark, healed);
        await sets.WaitForAsync(s => s.Count == 3 && sets.Values.Any(v => v.Count == 2), s_wait);
        Assert.Equal(["s1", "s2", "s3"], await CallersAsync(call, 30));

        foreach (var (client, registrar) in servers)
        {
            await registrar.DisposeAsync();
            await client.DisposeAsync();
        }

        Assert.Empty(registry.Snapshot(ServicePath));
    }

    private static async Task<InstanceEvent> InstancerEventAsync(IInstancer instancer, Func<InstanceEvent, bool> condition)
    {
        var recorder = new ObservationRecorder<InstanceEvent>();
        using var subscription = instancer.Subscribe(recorder);
        return await recorder.WaitForAsync(condition, s_wait);
    }

    private static Endpoint<string, string> Echo(string instance, ConcurrentDictionary<string, bool> failing) => (request, _) =>
        failing.ContainsKey(instance)
            ? ValueTask.FromException<string>(new InvalidOperationException($"{instance} is failing"))
            : ValueTask.FromResult($"{instance}|{request}");

    private static async Task<string[]> CallersAsync(Endpoint<string, string> call, int count)
    {
        var callers = new SortedSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var response = await call($"r{i}", CancellationToken.None);
            Assert.EndsWith($"|r{i}", response, StringComparison.Ordinal);
            callers.Add(response.Split('|')[0]);
        }

        return [.. callers];
    }
}
