using SdKit.Client;
using SdKit.InMemory;
using SdKit.Instances;
using SdKit.Testing.Conformance;

namespace SdKit.Tests.Instances;

public sealed class InstancerTests
{
    private static readonly InstancerOptions s_fast = new()
    {
        Backoff = new BackoffOptions { InitialDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(50) },
    };

    [Fact]
    public async Task Subscribe_ExistingInstances_ReceivesSortedSetAtOnceThenChanges()
    {
        var registry = new InMemoryRegistry();
        await using var writer = registry.CreateClient();
        await using var reader = registry.CreateClient();
        await writer.RegisterAsync(new ServiceEntry("/svc/a", "b:2"));
        await writer.RegisterAsync(new ServiceEntry("/svc/a", "a:1"));

        await using var instancer = new Instancer(reader, "/svc/a", s_fast);
        var recorder = new ObservationRecorder<InstanceEvent>();
        using var subscription = instancer.Subscribe(recorder);
        Assert.NotEmpty(recorder.Values);

        var first = await recorder.WaitForAsync(e => e.Instances.Length == 2);
        Assert.Equal(["a:1", "b:2"], first.Instances.ToArray());
        Assert.Null(first.Error);

        await writer.RegisterAsync(new ServiceEntry("/svc/a", "c:3"));
        var second = await recorder.WaitForAsync(e => e.Instances.Length == 3);
        Assert.Equal(["a:1", "b:2", "c:3"], second.Instances.ToArray());
    }

    [Fact]
    public async Task Subscribe_BeforeFirstSnapshot_ReceivesEmptyEventFirst()
    {
        var registry = new InMemoryRegistry();
        await using var reader = registry.CreateClient();
        await using var instancer = new Instancer(reader, "/svc/empty", s_fast);
        var recorder = new ObservationRecorder<InstanceEvent>();
        using var subscription = instancer.Subscribe(recorder);

        var first = recorder.Values[0];
        Assert.Empty(first.Instances);
        Assert.Null(first.Error);
    }

    [Fact]
    public async Task Publish_EqualSnapshots_AreNotSentTwice()
    {
        var registry = new InMemoryRegistry();
        await using var writer = registry.CreateClient();
        await using var reader = registry.CreateClient();
        var kept = await writer.RegisterAsync(new ServiceEntry("/svc/dedupe", "a:1"));
        await using var instancer = new Instancer(reader, "/svc/dedupe", s_fast);
        var recorder = new ObservationRecorder<InstanceEvent>();
        using var subscription = instancer.Subscribe(recorder);
        await recorder.WaitForAsync(e => e.Instances.Length == 1);

        // Same set as before once the temporary entry leaves: two changes, then back to one entry.
        var temporary = await writer.RegisterAsync(new ServiceEntry("/svc/dedupe", "b:2"));
        await recorder.WaitForAsync(e => e.Instances.Length == 2);
        await writer.DeregisterAsync(temporary);
        await recorder.WaitForNextAsync(2, e => e.Instances.Length == 1);
        await writer.DeregisterAsync(temporary);
        var marker = await writer.RegisterAsync(new ServiceEntry("/svc/dedupe", "z:9"));
        await recorder.WaitForAsync(e => e.Instances.Contains("z:9"));

        var values = recorder.Values.Where(e => e.Instances.Length > 0).ToList();
        for (var i = 1; i < values.Count; i++)
        {
            Assert.NotEqual(values[i - 1], values[i]);
        }

        Assert.NotNull(kept);
        Assert.NotNull(marker);
    }

    [Fact]
    public async Task WatchFailure_KeepsLastInstancesWithErrorAndRecovers()
    {
        var registry = new InMemoryRegistry();
        await using var writer = registry.CreateClient();
        await using var reader = registry.CreateClient();
        await writer.RegisterAsync(new ServiceEntry("/svc/err", "a:1"));
        await using var instancer = new Instancer(reader, "/svc/err", s_fast);
        var recorder = new ObservationRecorder<InstanceEvent>();
        using var subscription = instancer.Subscribe(recorder);
        await recorder.WaitForAsync(e => e.Instances.Length == 1 && e.Error is null);

        reader.Suspend();
        var failed = await recorder.WaitForAsync(e => e.Error is not null);
        Assert.Equal(["a:1"], failed.Instances.ToArray());
        Assert.IsType<InMemoryConnectionException>(failed.Error);

        await writer.RegisterAsync(new ServiceEntry("/svc/err", "b:2"));
        reader.Resume();
        var recovered = await recorder.WaitForAsync(e => e.Error is null && e.Instances.Length == 2);
        Assert.Equal(["a:1", "b:2"], recovered.Instances.ToArray());
    }

    [Fact]
    public async Task DisposeAsync_CompletesSubscribers()
    {
        var registry = new InMemoryRegistry();
        await using var reader = registry.CreateClient();
        var instancer = new Instancer(reader, "/svc/done", s_fast);
        var recorder = new ObservationRecorder<InstanceEvent>();
        using var subscription = instancer.Subscribe(recorder);

        await instancer.DisposeAsync();

        await recorder.Completed.WaitAsync(ObservationRecorder<InstanceEvent>.DefaultTimeout);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("/svc//")]
    [InlineData("/a//b")]
    public async Task Ctor_InvalidServicePath_ThrowsArgumentException(string path)
    {
        await using var client = new InMemoryRegistry().CreateClient();
        var error = Assert.ThrowsAny<ArgumentException>(() => new Instancer(client, path));
        Assert.Equal("servicePath", error.ParamName);
    }
}
