using System.Reactive;
using SdKit.Instances;
using SdKit.Testing.Conformance;

namespace SdKit.Tests.Instances;

public sealed class BroadcasterTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    [Fact]
    public void Subscribe_DeliversCurrentValueOnSubscribingThread()
    {
        var broadcaster = new Broadcaster<int>(7, _ => { });
        var received = new List<int>();

        using var subscription = broadcaster.Subscribe(Observer.Create<int>(received.Add));

        Assert.Equal([7], received);
    }

    [Fact]
    public async Task Publish_ManySubscribers_EachSeesEveryValueInOrder()
    {
        var broadcaster = new Broadcaster<int>(0, _ => { });
        var recorders = Enumerable.Range(0, 200).Select(_ => new ObservationRecorder<int>()).ToArray();
        var subscriptions = recorders.Select(broadcaster.Subscribe).ToArray();

        for (var i = 1; i <= 100; i++)
        {
            broadcaster.Publish(i);
        }

        foreach (var recorder in recorders)
        {
            await recorder.WaitForAsync(v => v == 100, s_wait);
            Assert.Equal(Enumerable.Range(0, 101), recorder.Values);
        }

        Assert.All(subscriptions, s => s.Dispose());
        Assert.Equal(0, broadcaster.SubscriberCount);
    }

    [Fact]
    public async Task Publish_ThrowingSubscriber_ReportedAndOthersServed()
    {
        var errors = new List<Exception>();
        var broadcaster = new Broadcaster<int>(0, ex =>
        {
            lock (errors)
            {
                errors.Add(ex);
            }
        });
        using var thrower = broadcaster.Subscribe(Observer.Create<int>(v => throw new InvalidOperationException($"bad {v}")));
        var healthy = new ObservationRecorder<int>();
        using var subscription = broadcaster.Subscribe(healthy);

        broadcaster.Publish(1);
        broadcaster.Publish(2);

        await healthy.WaitForAsync(v => v == 2, s_wait);
        var recorder = new ObservationRecorder<int>();
        using var late = broadcaster.Subscribe(recorder);
        Assert.Equal([2], recorder.Values);
        lock (errors)
        {
            Assert.Contains(errors, e => e.Message == "bad 0");
        }
    }

    [Fact]
    public async Task Publish_BlockedSubscriber_NeitherPublisherNorOthersWait()
    {
        var broadcaster = new Broadcaster<int>(0, _ => { });
        using var release = new ManualResetEventSlim();
        var blockedEntered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blockedDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blockedSeen = new List<int>();
        using var blocked = broadcaster.Subscribe(Observer.Create<int>(v =>
        {
            if (v == 1)
            {
                blockedEntered.TrySetResult();
                release.Wait(s_wait);
            }

            lock (blockedSeen)
            {
                blockedSeen.Add(v);
            }

            if (v == 50)
            {
                blockedDone.TrySetResult();
            }
        }));
        var healthy = new ObservationRecorder<int>();
        using var subscription = broadcaster.Subscribe(healthy);

        broadcaster.Publish(1);
        await blockedEntered.Task.WaitAsync(s_wait);
        for (var i = 2; i <= 50; i++)
        {
            broadcaster.Publish(i);
        }

        await healthy.WaitForAsync(v => v == 50, s_wait);
        Assert.Equal(50, broadcaster.Current);
        lock (blockedSeen)
        {
            Assert.Equal([0], blockedSeen);
        }

        release.Set();
        await blockedDone.Task.WaitAsync(s_wait);
        lock (blockedSeen)
        {
            Assert.Equal(Enumerable.Range(0, 51), blockedSeen);
        }
    }

    [Fact]
    public async Task Subscription_DisposedInsideOnNext_StopsDelivery()
    {
        var broadcaster = new Broadcaster<int>(0, _ => { });
        var seen = new List<int>();
        IDisposable? subscription = null;
        subscription = broadcaster.Subscribe(Observer.Create<int>(v =>
        {
            seen.Add(v);
            if (v == 1)
            {
                subscription!.Dispose();
            }
        }));
        var marker = new ObservationRecorder<int>();
        using var markerSubscription = broadcaster.Subscribe(marker);

        broadcaster.Publish(1);
        broadcaster.Publish(2);
        await marker.WaitForAsync(v => v == 2, s_wait);

        Assert.Equal(1, broadcaster.SubscriberCount);
        Assert.DoesNotContain(2, seen);
    }

    [Fact]
    public async Task Complete_CompletesCurrentAndLateSubscribers()
    {
        var broadcaster = new Broadcaster<int>(0, _ => { });
        var early = new ObservationRecorder<int>();
        using var subscription = broadcaster.Subscribe(early);

        broadcaster.Complete();
        broadcaster.Publish(5);

        await early.Completed.WaitAsync(s_wait);
        var late = new ObservationRecorder<int>();
        using var lateSubscription = broadcaster.Subscribe(late);
        await late.Completed.WaitAsync(s_wait);
        Assert.Empty(late.Values);
        Assert.DoesNotContain(5, early.Values);
    }

    [Fact]
    public async Task Publish_ConcurrentSubscribeAndPublish_NoSubscriberMissesTheLastValue()
    {
        var broadcaster = new Broadcaster<int>(0, _ => { });
        var recorders = new System.Collections.Concurrent.ConcurrentBag<ObservationRecorder<int>>();
        var publisher = Task.Run(() =>
        {
            for (var i = 1; i <= 1_000; i++)
            {
                broadcaster.Publish(i);
            }
        });
        var subscribers = Task.Run(() =>
        {
            for (var i = 0; i < 200; i++)
            {
                var recorder = new ObservationRecorder<int>();
                broadcaster.Subscribe(recorder);
                recorders.Add(recorder);
            }
        });

        await Task.WhenAll(publisher, subscribers);

        foreach (var recorder in recorders)
        {
            await recorder.WaitForAsync(v => v == 1_000, s_wait);
            var values = recorder.Values;
            Assert.Equal(values.Order(), values);
            Assert.Equal(values.Count, values.Distinct().Count());
            Assert.Equal(values[^1] - values[0] + 1, values.Count);
        }
    }
}
