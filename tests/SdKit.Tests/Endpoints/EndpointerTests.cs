using Microsoft.Extensions.Time.Testing;
using SdKit.Endpoints;
using SdKit.Instances;
using SdKit.Testing.Conformance;
using SdKit.Tests.Support;

namespace SdKit.Tests.Endpoints;

public sealed class EndpointerTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Ctor_InstancerWithInstances_BuildsEndpointsInInstanceOrderAtOnce()
    {
        var factory = new RecordingFactory();
        await using var endpointer = new Endpointer<string>(new FixedInstancer("b:2", "a:1"), factory.Factory);

        Assert.Equal(["endpoint:a:1", "endpoint:b:2"], endpointer.Endpoints);
        Assert.Equal(["a:1", "b:2"], endpointer.Current.Instances.ToArray());
    }

    [Fact]
    public async Task Update_KnownInstances_FactoryRunsOnlyForNewOnes()
    {
        var instancer = new ManualInstancer();
        var factory = new RecordingFactory();
        await using var endpointer = new Endpointer<string>(instancer, factory.Factory);
        var sets = new ObservationRecorder<IReadOnlyList<string>>();
        using var subscription = endpointer.Subscribe(sets);

        instancer.Publish("a", "b");
        await sets.WaitForAsync(s => s.Count == 2);
        instancer.Publish("a", "b", "c");
        await sets.WaitForAsync(s => s.Count == 3);

        Assert.Equal(["a", "b", "c"], factory.Created);
    }

    [Fact]
    public async Task Update_InstanceRemoved_DisposesItsCloserOnly()
    {
        var instancer = new ManualInstancer();
        var factory = new RecordingFactory();
        await using var endpointer = new Endpointer<string>(instancer, factory.Factory);
        var sets = new ObservationRecorder<IReadOnlyList<string>>();
        using var subscription = endpointer.Subscribe(sets);
        instancer.Publish("a", "b");
        await sets.WaitForAsync(s => s.Count == 2);

        instancer.Publish("b");
        await factory.ClosersOf("a")[0].Disposed.WaitAsync(s_wait);

        Assert.Equal(0, factory.ClosersOf("b")[0].DisposeCount);
        Assert.Equal(["endpoint:b"], endpointer.Endpoints);
    }

    [Fact]
    public async Task DisposeAsync_DisposesEveryCloserOnce()
    {
        var factory = new RecordingFactory();
        var endpointer = new Endpointer<string>(new FixedInstancer("a", "b", "c"), factory.Factory);

        await endpointer.DisposeAsync();
        await endpointer.DisposeAsync();

        Assert.Equal(3, factory.Closers.Count);
        Assert.All(factory.Closers, c => Assert.Equal(1, c.DisposeCount));
    }

    [Fact]
    public async Task Update_DuplicateInstanceStrings_OneEndpointAndNoLeakedCloser()
    {
        var factory = new RecordingFactory();
        var endpointer = new Endpointer<string>(new FixedInstancer("a", "a", "b", "a"), factory.Factory);

        Assert.Equal(["endpoint:a", "endpoint:b"], endpointer.Endpoints);
        Assert.Equal(["a", "b"], factory.Created);
        await endpointer.DisposeAsync();
        Assert.All(factory.Closers, c => Assert.Equal(1, c.DisposeCount));
    }

    [Fact]
    public async Task Update_FactoryFails_InstanceSkippedAndRetriedOnNextEvent()
    {
        var instancer = new ManualInstancer();
        var factory = new RecordingFactory();
        factory.FailFor("b");
        await using var endpointer = new Endpointer<string>(instancer, factory.Factory);
        var sets = new ObservationRecorder<IReadOnlyList<string>>();
        using var subscription = endpointer.Subscribe(sets);

        instancer.Publish("a", "b");
        await sets.WaitForAsync(s => s.Count == 1);
        factory.Heal("b");
        instancer.Publish("a", "b", "c");
        await sets.WaitForAsync(s => s.Count == 3);

        Assert.Equal(["endpoint:a", "endpoint:b", "endpoint:c"], endpointer.Endpoints);
    }

    [Fact]
    public async Task InstancerError_WithoutInvalidation_KeepsEndpoints()
    {
        var factory = new RecordingFactory();
        await using var endpointer = new Endpointer<string>(new ManualInstancer(), factory.Factory);
        endpointer.Apply(new InstanceEvent(["a"]));
        var before = endpointer.Current;

        endpointer.Apply(new InstanceEvent(["a"]).WithError(new InvalidOperationException("backend down")));

        Assert.Same(before, endpointer.Current);
        Assert.Equal(["endpoint:a"], endpointer.Endpoints);
        Assert.Equal(0, factory.ClosersOf("a")[0].DisposeCount);
    }

    [Fact]
    public async Task InstancerError_InvalidateOnError_ClosesAfterFirstDeadlineAndRebuildsOnGoodEvent()
    {
        var time = new FakeTimeProvider();
        var factory = new RecordingFactory();
        var options = new EndpointerOptions { InvalidateOnError = TimeSpan.FromSeconds(5), TimeProvider = time };
        await using var endpointer = new Endpointer<string>(new ManualInstancer(), factory.Factory, options);
        var good = new InstanceEvent(["a"]);
        endpointer.Apply(good);

        var first = new InvalidOperationException("first");
        endpointer.Apply(good.WithError(first));
        time.Advance(TimeSpan.FromSeconds(3));
        endpointer.Apply(good.WithError(new InvalidOperationException("second")));
        time.Advance(TimeSpan.FromSeconds(1.9));
        Assert.Equal(["endpoint:a"], endpointer.Endpoints);

        time.Advance(TimeSpan.FromSeconds(0.1));
        var error = Assert.Throws<EndpointsUnavailableException>(() => endpointer.Endpoints);
        Assert.Same(first, error.InnerException);
        Assert.Same(first, endpointer.Current.Error);
        await factory.ClosersOf("a")[0].Disposed.WaitAsync(s_wait);

        endpointer.Apply(good);
        Assert.Equal(["endpoint:a"], endpointer.Endpoints);
        Assert.Equal(["a", "a"], factory.Created);
    }

    [Fact]
    public async Task InstancerError_ZeroInvalidationTimeout_InvalidatesAtOnce()
    {
        var factory = new RecordingFactory();
        var options = new EndpointerOptions { InvalidateOnError = TimeSpan.Zero };
        await using var endpointer = new Endpointer<string>(new FixedInstancer("a"), factory.Factory, options);

        endpointer.Apply(new InstanceEvent(["a"]).WithError(new InvalidOperationException("gone")));

        Assert.Throws<EndpointsUnavailableException>(() => endpointer.Endpoints);
        Assert.Empty(endpointer.Current);
    }

    [Fact]
    public async Task InstancerError_GoodEventBeforeDeadline_CancelsInvalidation()
    {
        var time = new FakeTimeProvider();
        var options = new EndpointerOptions { InvalidateOnError = TimeSpan.FromSeconds(5), TimeProvider = time };
        await using var endpointer = new Endpointer<string>(new ManualInstancer(), new RecordingFactory().Factory, options);
        var good = new InstanceEvent(["a"]);
        endpointer.Apply(good);
        endpointer.Apply(good.WithError(new InvalidOperationException("blip")));

        endpointer.Apply(good);
        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(["endpoint:a"], endpointer.Endpoints);
    }

    [Fact]
    public async Task Current_Read_AllocatesNothing()
    {
        await using var endpointer = new Endpointer<string>(new FixedInstancer("a", "b"), new RecordingFactory().Factory);
        var total = 0;

        var allocated = Allocations.Measure(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                total += endpointer.Current.Count + endpointer.Endpoints.Count;
            }
        });

        Assert.Equal(0, allocated);
        Assert.Equal(80_000, total);
    }

    [Fact]
    public async Task Current_ConcurrentReadersDuringUpdates_AlwaysSeeConsistentSets()
    {
        var instancer = new ManualInstancer();
        await using var endpointer = new Endpointer<string>(instancer, i => ("endpoint:" + i, null));
        using var stop = new CancellationTokenSource();
        using var started = new SemaphoreSlim(0);
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            started.Release();
            var reads = 0;
            while (!stop.IsCancellationRequested)
            {
                var set = endpointer.Current;
                Assert.Equal(set.Instances.Length, set.Count);
                for (var i = 0; i < set.Count; i++)
                {
                    Assert.Equal("endpoint:" + set.Instances[i], set[i]);
                }

                reads++;
            }

            return reads;
        })).ToArray();

        Assert.True(await started.WaitAsync(s_wait));
        Assert.True(await started.WaitAsync(s_wait));
        var sets = new ObservationRecorder<IReadOnlyList<string>>();
        using var subscription = endpointer.Subscribe(sets);
        for (var round = 0; round < 200; round++)
        {
            instancer.Publish(Enumerable.Range(round, 1 + (round % 7)).Select(n => $"i{n}").ToArray());
        }

        await sets.WaitForAsync(s => s.Contains("endpoint:i199") && s.Count == 1 + (199 % 7));
        await stop.CancelAsync();
        var reads = await Task.WhenAll(readers);
        Assert.All(reads, r => Assert.True(r > 0));
    }
}
