using System.Reactive;
using SdKit.Client;
using SdKit.InMemory;
using SdKit.Instances;
using SdKit.Testing.Clients;
using SdKit.Testing.Conformance;

namespace SdKit.Tests.Instances;

public sealed class InstancerConcurrencyTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(15);

    private static readonly InstancerOptions s_fast = new()
    {
        Backoff = new BackoffOptions { InitialDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(50) },
    };

    [Fact]
    public async Task Publish_ConcurrentRegistrations_EverySubscriberConvergesOnFinalSet()
    {
        var registry = new InMemoryRegistry();
        await using var reader = registry.CreateClient();
        await using var instancer = new Instancer(reader, "/svc/many", s_fast);
        var recorders = Enumerable.Range(0, 100).Select(_ => new ObservationRecorder<InstanceEvent>()).ToArray();
        var subscriptions = recorders.Select(instancer.Subscribe).ToList();
        var writers = Enumerable.Range(0, 4).Select(_ => registry.CreateClient()).ToArray();

        await Task.WhenAll(writers.Select((writer, w) => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                await writer.RegisterAsync(new ServiceEntry("/svc/many", $"w{w}-{i}"));
            }
        })));

        foreach (var recorder in recorders)
        {
            var last = await recorder.WaitForAsync(e => e.Instances.Length == 200, s_wait);
            Assert.Equal(last.Instances.Order(StringComparer.Ordinal), last.Instances);
            var values = recorder.Values;
            for (var i = 1; i < values.Count; i++)
            {
                Assert.NotEqual(values[i - 1], values[i]);
            }
        }

        subscriptions.ForEach(s => s.Dispose());
        foreach (var writer in writers)
        {
            await writer.DisposeAsync();
        }
    }

    [Fact]
    public async Task Publish_BlockedAndThrowingSubscribers_LoopAndOthersKeepGoing()
    {
        var registry = new InMemoryRegistry();
        await using var writer = registry.CreateClient();
        await using var reader = registry.CreateClient();
        await using var instancer = new Instancer(reader, "/svc/blocked", s_fast);
        using var release = new ManualResetEventSlim();
        using var blocked = instancer.Subscribe(Observer.Create<InstanceEvent>(e =>
        {
            if (e.Instances.Length > 0)
            {
                release.Wait(s_wait);
            }
        }));
        using var thrower = instancer.Subscribe(Observer.Create<InstanceEvent>(_ => throw new InvalidOperationException("subscriber bug")));
        var healthy = new ObservationRecorder<InstanceEvent>();
        using var subscription = instancer.Subscribe(healthy);

        for (var i = 0; i < 20; i++)
        {
            await writer.RegisterAsync(new ServiceEntry("/svc/blocked", $"i{i:D2}"));
        }

        var last = await healthy.WaitForAsync(e => e.Instances.Length == 20, s_wait);
        Assert.Equal(last, instancer.Current);
        release.Set();
    }

    [Fact]
    public async Task Watch_RepeatedFailures_NeverStopsUpdating()
    {
        var registry = new InMemoryRegistry();
        await using var writer = registry.CreateClient();
        await using var reader = registry.CreateClient();
        await using var instancer = new Instancer(reader, "/svc/flaky", s_fast);
        var events = new ObservationRecorder<InstanceEvent>();
        using var subscription = instancer.Subscribe(events);

        for (var round = 0; round < 5; round++)
        {
            var mark = events.Values.Count;
            reader.Suspend();
            await events.WaitForNextAsync(mark, e => e.Error is not null, s_wait);
            await writer.RegisterAsync(new ServiceEntry("/svc/flaky", $"r{round}"));
            reader.Resume();
            var recovered = await events.WaitForAsync(e => e.Error is null && e.Instances.Length == round + 1, s_wait);
            Assert.Contains($"r{round}", recovered.Instances);
        }
    }

    [Fact]
    public async Task Watch_ErrorEvents_CarryLastInstancesAndEqualErrorsAreNotRepeated()
    {
        var registry = new InMemoryRegistry();
        await using var writer = registry.CreateClient();
        var suspendable = registry.CreateClient();
        await using var reader = new CountingWatchClient(suspendable);
        await writer.RegisterAsync(new ServiceEntry("/svc/stale", "a:1"));
        var options = new InstancerOptions { Backoff = new BackoffOptions { InitialDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(2) } };
        await using var instancer = new Instancer(reader, "/svc/stale", options);
        var events = new ObservationRecorder<InstanceEvent>();
        using var subscription = instancer.Subscribe(events);
        await events.WaitForAsync(e => e.Instances.Length == 1, s_wait);

        // While suspended the instancer retries every few milliseconds and fails with the same message each time.
        suspendable.Suspend();
        var failed = await events.WaitForAsync(e => e.Error is not null, s_wait);
        var late = new ObservationRecorder<InstanceEvent>();
        using var lateSubscription = instancer.Subscribe(late);
        var failedAt = events.Values.ToList().IndexOf(failed);
        // Let the instancer fail many more times (every 1-2 ms) while suspended: twenty more watches.
        await reader.WaitForWatchesAsync(reader.Watches + 20, s_wait);
        suspendable.Resume();
        await events.WaitForNextAsync(failedAt + 1, e => e.Error is null, s_wait);

        Assert.Equal(["a:1"], failed.Instances.ToArray());
        Assert.Equal(["a:1"], late.Values[0].Instances.ToArray());
        Assert.NotNull(late.Values[0].Error);
        var errors = events.Values.Count(e => e.Error is not null);
        Assert.InRange(errors, 1, 2); // the watch failure, then at most one distinct "still suspended" error
        var values = events.Values;
        for (var i = 1; i < values.Count; i++)
        {
            Assert.NotEqual(values[i - 1], values[i]);
        }
    }

    [Fact]
    public async Task Subscribe_ManySubscribersWhileUpdating_AllEndOnCurrent()
    {
        var registry = new InMemoryRegistry();
        await using var writer = registry.CreateClient();
        await using var reader = registry.CreateClient();
        await using var instancer = new Instancer(reader, "/svc/join", s_fast);
        var recorders = new System.Collections.Concurrent.ConcurrentBag<ObservationRecorder<InstanceEvent>>();

        var writing = Task.Run(async () =>
        {
            for (var i = 0; i < 100; i++)
            {
                await writer.RegisterAsync(new ServiceEntry("/svc/join", $"i{i:D3}"));
            }
        });
        var joining = Task.Run(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                var recorder = new ObservationRecorder<InstanceEvent>();
                instancer.Subscribe(recorder);
                recorders.Add(recorder);
            }
        });
        await Task.WhenAll(writing, joining);

        foreach (var recorder in recorders)
        {
            await recorder.WaitForAsync(e => e.Instances.Length == 100, s_wait);
        }
    }
}
