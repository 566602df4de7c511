using System.Diagnostics.Metrics;
using SdKit.Client;
using SdKit.Diagnostics;
using SdKit.InMemory;
using SdKit.Instances;
using SdKit.Instances.Codecs;
using SdKit.Testing.Conformance;

namespace SdKit.Tests.Instances;

public sealed class TypedInstancerTests
{
    private static readonly InstancerOptions s_fast = new()
    {
        Backoff = new BackoffOptions { InitialDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(50) },
    };

    [Fact]
    public async Task PlainStrings_DecodeWithDeltas()
    {
        var registry = new InMemoryRegistry();
        await using var writer = registry.CreateClient();
        await using var reader = registry.CreateClient();
        var a = await writer.RegisterAsync(new ServiceEntry("/svc/plain", "10.0.0.1:80"));
        await using var instancer = new Instancer(reader, "/svc/plain", s_fast);
        await using var typed = new TypedInstancer(instancer, PlainInstanceCodec.Instance);
        var recorder = new ObservationRecorder<ServiceInstanceEvent>();
        using var subscription = typed.Subscribe(recorder);

        var first = await recorder.WaitForAsync(e => e.Instances.Length == 1);
        Assert.Equal("10.0.0.1", first.Instances[0].Host);
        Assert.Equal(80, first.Instances[0].Port);
        Assert.Equal(["10.0.0.1:80"], first.Added.Select(i => i.Id));

        await writer.RegisterAsync(new ServiceEntry("/svc/plain", "10.0.0.2:80"));
        var second = await recorder.WaitForAsync(e => e.Instances.Length == 2);
        Assert.Equal(["10.0.0.2:80"], second.Added.Select(i => i.Id));
        Assert.Empty(second.Removed);
        Assert.Empty(second.Changed);

        await writer.DeregisterAsync(a);
        var third = await recorder.WaitForAsync(e => e.Instances.Length == 1 && e.Removed.Length == 1);
        Assert.Equal("10.0.0.1:80", third.Removed[0].Id);
        Assert.Empty(third.Added);
        Assert.Equal(third.Source, instancer.Current);
    }

    [Fact]
    public async Task ChangedMetadata_SameId_IsReportedAsChanged()
    {
        var registry = new InMemoryRegistry();
        await using var writer = registry.CreateClient();
        await using var reader = registry.CreateClient();
        var v1 = await writer.RegisterAsync(new ServiceEntry("/svc/json", """{"id":"a","host":"h","port":1,"metadata":{"version":"1"}}"""));
        await using var instancer = new Instancer(reader, "/svc/json", s_fast);
        await using var typed = new TypedInstancer(instancer, SdKitJsonCodec.Instance);
        var recorder = new ObservationRecorder<ServiceInstanceEvent>();
        using var subscription = typed.Subscribe(recorder);
        await recorder.WaitForAsync(e => e.Instances.Length == 1);

        await writer.RegisterAsync(new ServiceEntry("/svc/json", """{"id":"a","host":"h","port":1,"metadata":{"version":"2"}}"""));
        await writer.DeregisterAsync(v1);

        var changed = await recorder.WaitForAsync(e => e.Instances.Length == 1 && e.Instances[0].Metadata["version"] == "2");
        var sawChange = recorder.Values.Any(e => e.Changed.Length == 1 && e.Changed[0].Metadata["version"] == "2")
            || changed.Changed.Length == 1;
        Assert.True(sawChange, string.Join(" | ", recorder.Values));
        Assert.DoesNotContain(recorder.Values, e => e.Removed.Any(i => i.Id == "a"));
    }

    [Fact]
    public async Task UndecodableEntry_IsReportedCountedAndDoesNotHideOthers()
    {
        var registry = new InMemoryRegistry();
        await using var writer = registry.CreateClient();
        await using var reader = registry.CreateClient();
        await writer.RegisterAsync(new ServiceEntry("/svc/mixed", """{"id":"good","address":"127.0.0.1","port":8080}"""));
        await writer.RegisterAsync(new ServiceEntry("/svc/mixed", """{"id":"bad","address":"127.0.0.1","port":"x"}"""));
        long counted = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == SdKitDiagnostics.MeterName && instrument.Name == SdKitDiagnostics.InstanceDecodeFailures)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref counted, value));
        listener.Start();

        await using var instancer = new Instancer(reader, "/svc/mixed", s_fast);
        await using var typed = new TypedInstancer(instancer, new CuratorJsonCodec("mixed"));
        var recorder = new ObservationRecorder<ServiceInstanceEvent>();
        using var subscription = typed.Subscribe(recorder);

        var mixed = await recorder.WaitForAsync(e => e.Instances.Length + e.Failures.Length == 2);
        Assert.Equal("good", Assert.Single(mixed.Instances).Id);
        var failure = Assert.Single(mixed.Failures);
        Assert.Contains("'port' is \"x\"", failure.Reason, StringComparison.Ordinal);
        Assert.Contains("\"bad\"", failure.Raw, StringComparison.Ordinal);
        Assert.True(Interlocked.Read(ref counted) >= 1);

        await writer.RegisterAsync(new ServiceEntry("/svc/mixed", """{"id":"later","address":"127.0.0.2","port":1}"""));
        var later = await recorder.WaitForAsync(e => e.Instances.Length == 2);
        Assert.Equal(["later"], later.Added.Select(i => i.Id));
        Assert.Single(later.Failures);
    }

    [Fact]
    public async Task DuplicateId_SecondIsAFailure()
    {
        await using var source = new FixedInstancer("""{"id":"a","host":"h1"}""", """{"id":"a","host":"h2"}""");
        await using var typed = new TypedInstancer(source, SdKitJsonCodec.Instance);

        var current = await typed.WaitForFirstEventAsync();

        Assert.Single(current.Instances);
        Assert.Contains("id 'a'", Assert.Single(current.Failures).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispose_CompletesSubscribersAndLeavesSourceRunning()
    {
        await using var source = new FixedInstancer("a:1");
        var typed = new TypedInstancer(source, PlainInstanceCodec.Instance);
        var recorder = new ObservationRecorder<ServiceInstanceEvent>();
        using var subscription = typed.Subscribe(recorder);

        await typed.DisposeAsync();

        await recorder.Completed.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["a:1"], source.Current.Instances.ToArray());
    }
}
