using SdKit.Instances;
using SdKit.Testing.Conformance;

namespace SdKit.Tests.Instances;

public sealed class FixedInstancerTests
{
    [Fact]
    public async Task Subscribe_DeliversSortedListAtOnceAndCompletesOnDispose()
    {
        var instancer = new FixedInstancer("b", "a");
        var recorder = new ObservationRecorder<InstanceEvent>();

        using var subscription = instancer.Subscribe(recorder);
        await instancer.DisposeAsync();

        Assert.Equal(["a", "b"], recorder.Values.Single().Instances.ToArray());
        Assert.Null(instancer.Current.Error);
        await recorder.Completed.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task WaitForFirstEventAsync_AnyTime_CompletesAtOnceWithTheFixedEvent()
    {
        var instancer = new FixedInstancer("b", "a");

        var first = instancer.WaitForFirstEventAsync();
        var firstAtOnce = first.IsCompletedSuccessfully;
        await instancer.DisposeAsync();
        var afterDispose = instancer.WaitForFirstEventAsync();
        var afterDisposeAtOnce = afterDispose.IsCompletedSuccessfully;

        Assert.True(firstAtOnce);
        Assert.True(afterDisposeAtOnce);
        var (firstEvent, laterEvent) = (await first, await afterDispose);
        Assert.Equal(["a", "b"], firstEvent.Instances.ToArray());
        Assert.Same(firstEvent, laterEvent);
    }

    [Fact]
    public void Ctor_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new FixedInstancer((IEnumerable<string>)null!));
    }
}
