using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using SdKit.Client;
using SdKit.Diagnostics;
using SdKit.Endpoints;
using SdKit.InMemory;
using SdKit.Instances;
using SdKit.LoadBalancing;
using SdKit.Registration;
using SdKit.Testing.Conformance;

namespace SdKit.Tests.Diagnostics;

[CollectionDefinition(nameof(MetricsCollection), DisableParallelization = true)]
public sealed class MetricsCollection;

[Collection(nameof(MetricsCollection))]
public sealed class MetricsTests : IDisposable
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Name, long Value, Dictionary<string, object?> Tags)> _measurements = new();

    public MetricsTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == SdKitDiagnostics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var map = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var tag in tags)
            {
                map[tag.Key] = tag.Value;
            }

            _measurements.Enqueue((instrument.Name, value, map));
        });
        _listener.Start();
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task Instancer_ReportsInstancesAndEventsPerServicePath()
    {
        var registry = new InMemoryRegistry();
        await using var writer = registry.CreateClient();
        await using var reader = registry.CreateClient();
        await writer.RegisterAsync(new ServiceEntry("/metrics/instancer", "a:1"));
        await writer.RegisterAsync(new ServiceEntry("/metrics/instancer", "b:2"));
        var instancer = new Instancer(reader, "/metrics/instancer");
        var events = new ObservationRecorder<InstanceEvent>();
        using var subscription = instancer.Subscribe(events);
        await events.WaitForAsync(e => e.Instances.Length == 2, s_wait);

        Assert.Equal(2, Sum(SdKitDiagnostics.InstancerInstances, "/metrics/instancer"));
        Assert.Equal(1, Sum(SdKitDiagnostics.InstancerEvents, "/metrics/instancer"));
        await instancer.DisposeAsync();
        Assert.Equal(0, Sum(SdKitDiagnostics.InstancerInstances, "/metrics/instancer"));
    }

    [Fact]
    public async Task Registrar_ReportsStateChanges()
    {
        await using var client = new InMemoryRegistry().CreateClient();
        await using var registrar = new Registrar(client, new ServiceEntry("/metrics/registrar", "a:1"));

        await registrar.RegisterAsync();
        await registrar.DeregisterAsync();

        var states = _measurements.Where(m => m.Name == SdKitDiagnostics.RegistrationStateChanges && Equals(m.Tags["sdkit.service_path"], "/metrics/registrar"))
            .Select(m => (string)m.Tags["sdkit.state"]!).ToArray();
        Assert.Equal(["Registering", "Registered", "Deregistered"], states);
    }

    [Fact]
    public async Task Retry_ReportsRetriesAndFailures()
    {
        Endpoint<int, int> failing = (_, _) => throw new InvalidOperationException("no");
        var options = new RetryOptions { MaxAttempts = 3, Backoff = new BackoffOptions { InitialDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero } };
        var retry = Retry.Create(Balancers.RoundRobin(new FixedEndpointer<Endpoint<int, int>>([failing])), options);

        await Assert.ThrowsAsync<RetryException>(async () => await retry(1, CancellationToken.None));

        Assert.Equal(2, _measurements.Where(m => m.Name == SdKitDiagnostics.Retries).Sum(m => m.Value));
        Assert.Single(_measurements, m => m.Name == SdKitDiagnostics.RetryFailures && Equals(m.Tags["sdkit.outcome"], "exhausted"));
    }

    private long Sum(string name, string path)
        => _measurements.Where(m => m.Name == name && Equals(m.Tags["sdkit.service_path"], path)).Sum(m => m.Value);
}
