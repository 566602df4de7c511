using SdKit.Client;
using SdKit.InMemory;
using SdKit.Instances;
using SdKit.Testing.Clients;
using SdKit.Testing.Conformance;

namespace SdKit.Tests.Instances;

public sealed class InstancerFirstEventTests
{
    private static readonly TimeSpan s_timeout = ObservationRecorder<InstanceEvent>.DefaultTimeout;

    private static readonly InstancerOptions s_fast = new()
    {
        Backoff = new BackoffOptions { InitialDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(50) },
    };

    [Fact]
    public async Task WaitForFirstEventAsync_RegistryNotAnsweredYet_WaitsForTheFirstSnapshot()
    {
        var registry = new InMemoryRegistry();
        await using var writer = registry.CreateClient();
        await writer.RegisterAsync(new ServiceEntry("/svc/held", "a:1"));
        await using var client = new HeldWatchClient(registry.CreateClient());
        await using var instancer = new Instancer(client, "/svc/held", s_fast);

        var first = instancer.WaitForFirstEventAsync().AsTask();
        var pendingBeforeRelease = first.IsCompleted;
        client.Release();
        var answered = await first.WaitAsync(s_timeout);

        Assert.False(pendingBeforeRelease);
        Assert.Equal(["a:1"], answered.Instances.ToArray());
        Assert.Null(answered.Error);
    }

    [Fact]
    public async Task WaitForFirstEventAsync_EmptyService_CompletesWithEmptyEventWithoutError()
    {
        var registry = new InMemoryRegistry();
        await using var client = new HeldWatchClient(registry.CreateClient());
        await using var instancer = new Instancer(client, "/svc/nobody", s_fast);
        var recorder = new ObservationRecorder<InstanceEvent>();
        using var subscription = instancer.Subscribe(recorder);

        var first = instancer.WaitForFirstEventAsync().AsTask();
        var pendingBeforeRelease = first.IsCompleted;
        client.Release();
        var answered = await first.WaitAsync(s_timeout);

        // The empty answer equals the placeholder the subscriber already has, so it is not sent again.
        Assert.False(pendingBeforeRelease);
        Assert.Empty(answered.Instances);
        Assert.Null(answered.Error);
        Assert.Single(recorder.Values);
    }

    [Fact]
    public async Task WaitForFirstEventAsync_FirstWatchFails_CompletesWithTheError()
    {
        var registry = new InMemoryRegistry();
        await using var reader = registry.CreateClient();
        reader.Suspend();
        await using var instancer = new Instancer(reader, "/svc/down", s_fast);

        var answered = await instancer.WaitForFirstEventAsync().AsTask().WaitAsync(s_timeout);

        Assert.IsType<InMemoryConnectionException>(answered.Error);
        Assert.Empty(answered.Instances);
    }

    [Fact]
    public async Task WaitForFirstEventAsync_AfterTheFirstEvent_CompletesSynchronouslyWithTheCurrentEvent()
    {
        var registry = new InMemoryRegistry();
        await using var writer = registry.CreateClient();
        await using var reader = registry.CreateClient();
        await using var instancer = new Instancer(reader, "/svc/later", s_fast);
        await instancer.WaitForFirstEventAsync().AsTask().WaitAsync(s_timeout);
        var recorder = new ObservationRecorder<InstanceEvent>();
        using var subscription = instancer.Subscribe(recorder);
        await writer.RegisterAsync(new ServiceEntry("/svc/later", "b:2"));
        await recorder.WaitForAsync(e => e.Instances.Length == 1);

        var again = instancer.WaitForFirstEventAsync();
        var atOnce = again.IsCompletedSuccessfully;

        Assert.True(atOnce);
        Assert.Equal(["b:2"], (await again).Instances.ToArray());
    }

    [Fact]
    public async Task WaitForFirstEventAsync_DisposedBeforeAnswer_ThrowsObjectDisposedException()
    {
        var registry = new InMemoryRegistry();
        await using var client = new HeldWatchClient(registry.CreateClient());
        var instancer = new Instancer(client, "/svc/gone", s_fast);
        var first = instancer.WaitForFirstEventAsync().AsTask();

        await instancer.DisposeAsync();

        var error = await Assert.ThrowsAsync<ObjectDisposedException>(() => first.WaitAsync(s_timeout));
        Assert.Contains("/svc/gone", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => instancer.WaitForFirstEventAsync().AsTask());
    }

    [Fact]
    public async Task WaitForFirstEventAsync_Cancelled_ThrowsOperationCanceledAndALaterWaitStillSucceeds()
    {
        var registry = new InMemoryRegistry();
        await using var client = new HeldWatchClient(registry.CreateClient());
        await using var instancer = new Instancer(client, "/svc/slow", s_fast);
        using var cancellation = new CancellationTokenSource();
        var first = instancer.WaitForFirstEventAsync(cancellation.Token).AsTask();

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.WaitAsync(s_timeout));
        client.Release();
        var answered = await instancer.WaitForFirstEventAsync().AsTask().WaitAsync(s_timeout);
        Assert.Null(answered.Error);
    }
}
