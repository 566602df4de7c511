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
    public void Ctor_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new FixedInstancer((IEnumerable<string>)null!));
    }
}
