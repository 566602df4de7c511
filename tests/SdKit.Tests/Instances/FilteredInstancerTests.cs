using SdKit.Endpoints;
using SdKit.Instances;
using SdKit.Instances.Codecs;
using SdKit.Testing.Conformance;
using SdKit.Tests.Support;

namespace SdKit.Tests.Instances;

public sealed class FilteredInstancerTests
{
    private const string V1 = """{"id":"a","host":"10.0.0.1","port":80,"zone":"z1","metadata":{"version":"1"}}""";
    private const string V2 = """{"id":"b","host":"10.0.0.2","port":80,"zone":"z2","metadata":{"version":"2"}}""";
    private const string V2Disabled = """{"id":"c","host":"10.0.0.3","port":80,"zone":"z1","enabled":false,"metadata":{"version":"2"}}""";

    [Fact]
    public async Task MetadataFilter_KeepsOnlyMatchingInstanceStrings()
    {
        await using var source = new FixedInstancer(V1, V2, V2Disabled);
        await using var filtered = new FilteredInstancer(source, SdKitJsonCodec.Instance, InstanceFilters.MetadataEquals("version", "2"));

        Assert.Equal(new InstanceEvent([V2, V2Disabled]), filtered.Current);
    }

    [Fact]
    public async Task Subscribe_ReplaysTheCurrentFilteredEventAtOnce()
    {
        await using var source = new FixedInstancer(V1, V2, V2Disabled);
        await using var filtered = new FilteredInstancer(source, SdKitJsonCodec.Instance, InstanceFilters.Enabled);
        var seen = new List<InstanceEvent>();

        using var subscription = filtered.Subscribe(System.Reactive.Observer.Create<InstanceEvent>(seen.Add));

        var only = Assert.Single(seen);
        Assert.Equal([V1, V2], only.Instances.OrderBy(s => s, StringComparer.Ordinal));
    }

    [Fact]
    public async Task SourceError_IsPassedThroughWithTheLastFilteredSet()
    {
        await using var source = new ManualInstancer();
        await using var filtered = new FilteredInstancer(source, SdKitJsonCodec.Instance, InstanceFilters.InZone("z1"));
        var recorder = new ObservationRecorder<InstanceEvent>();
        using var subscription = filtered.Subscribe(recorder);
        source.Publish(V1, V2);
        await recorder.WaitForAsync(e => e.Instances.Length == 1);

        var cause = new InvalidOperationException("registry unreachable");
        source.Fail(cause);

        var failed = await recorder.WaitForAsync(e => e.Error is not null);
        Assert.Same(cause, failed.Error);
        Assert.Equal([V1], failed.Instances.ToArray());
    }

    [Fact]
    public async Task ChangeOnlyToAnExcludedInstance_SendsNoEvent()
    {
        await using var source = new ManualInstancer();
        await using var filtered = new FilteredInstancer(source, SdKitJsonCodec.Instance, InstanceFilters.InZone("z1"));
        var recorder = new ObservationRecorder<InstanceEvent>();
        using var subscription = filtered.Subscribe(recorder);
        source.Publish(V1, V2);
        await recorder.WaitForAsync(e => e.Instances.Length == 1);

        // Only the z2 instance changes: the filtered set stays [V1], so nothing is sent.
        var v2Moved = V2.Replace("10.0.0.2", "10.0.0.9", StringComparison.Ordinal);
        source.Publish(V1, v2Moved);

        // Then one that is kept: the next event a subscriber sees is this one.
        source.Publish(V1, v2Moved, V2Disabled);
        await recorder.WaitForAsync(e => e.Instances.Length == 2);

        Assert.Equal([0, 1, 2], recorder.Values.Select(e => e.Instances.Length));
    }

    [Fact]
    public async Task UndecodableOrThrowing_IsLeftOutAndTheOthersStay()
    {
        await using var source = new FixedInstancer(V1, "not json", V2);
        var calls = 0;
        await using var filtered = new FilteredInstancer(source, SdKitJsonCodec.Instance, instance =>
        {
            calls++;
            return instance.Id == "b" ? throw new InvalidOperationException("bad predicate") : true;
        });

        Assert.Equal([V1], filtered.Current.Instances.ToArray());
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task Endpointer_OverAFilter_SeesOnlyTheKeptInstances()
    {
        await using var source = new FixedInstancer(V1, V2, V2Disabled);
        await using var filtered = new FilteredInstancer(
            source,
            SdKitJsonCodec.Instance,
            InstanceFilters.All(InstanceFilters.Enabled, InstanceFilters.MetadataEquals("version", "2")));
        await using var endpointer = new Endpointer<string>(filtered, i => (SdKitJsonCodec.Instance.Decode(i).Instance!.Host, null));

        Assert.Equal(["10.0.0.2"], endpointer.Endpoints);
    }

    [Fact]
    public async Task WaitForFirstEvent_ReturnsTheFilteredFirstAnswer()
    {
        await using var source = new ManualInstancer();
        await using var filtered = new FilteredInstancer(source, SdKitJsonCodec.Instance, InstanceFilters.InZone("z2"));

        var waiting = filtered.WaitForFirstEventAsync().AsTask();
        source.Publish(V1, V2);
        var first = await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([V2], first.Instances.ToArray());
    }

    [Fact]
    public async Task Dispose_CompletesSubscribersAndLeavesTheSourceRunning()
    {
        await using var source = new ManualInstancer();
        var filtered = new FilteredInstancer(source, PlainInstanceCodec.Instance, InstanceFilters.Enabled);
        var recorder = new ObservationRecorder<InstanceEvent>();
        using var subscription = filtered.Subscribe(recorder);

        await filtered.DisposeAsync();

        await recorder.Completed.WaitAsync(TimeSpan.FromSeconds(10));
        source.Publish("10.0.0.1:80");
        Assert.Equal(["10.0.0.1:80"], source.Current.Instances.ToArray());
    }

    [Fact]
    public void Combinators_CombineAsTheirNamesSay()
    {
        var instance = new ServiceInstance("a", "h", 1, metadata: [new("version", "2")], zone: "z1");

        Assert.True(InstanceFilters.All()(instance));
        Assert.False(InstanceFilters.Any()(instance));
        Assert.True(InstanceFilters.Any(InstanceFilters.InZone("z9"), InstanceFilters.HasMetadata("version"))(instance));
        Assert.False(InstanceFilters.All(InstanceFilters.Enabled, InstanceFilters.MetadataEquals("version", "1"))(instance));
        Assert.True(InstanceFilters.Not(InstanceFilters.InZone("z2"))(instance));
        Assert.False(InstanceFilters.Enabled(new ServiceInstance("b", "h", 1, enabled: false)));
    }

    [Fact]
    public void Filters_BadArguments_Throw()
    {
        Assert.Throws<ArgumentException>(() => InstanceFilters.MetadataEquals(" ", "1"));
        Assert.Throws<ArgumentNullException>(() => InstanceFilters.MetadataEquals("version", null!));
        Assert.Throws<ArgumentException>(() => InstanceFilters.InZone(""));
        var error = Assert.Throws<ArgumentNullException>(() => InstanceFilters.All(InstanceFilters.Enabled, null!));
        Assert.Contains("Predicate 1 of 2", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => new FilteredInstancer(new FixedInstancer(), PlainInstanceCodec.Instance, null!));
    }
}
