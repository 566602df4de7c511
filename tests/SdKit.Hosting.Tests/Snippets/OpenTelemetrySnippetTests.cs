using System.Diagnostics;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using SdKit.Diagnostics;
using SdKit.Instances;
using SdKit.Testing.ZooKeeper;
using Xunit;

namespace SdKit.Hosting.Tests.Snippets;

/// <summary>
/// docs/observability.md's snippet in a real application: a Kestrel server registered on a real ZooKeeper, with the
/// OpenTelemetry SDK exporting to memory. What the SDK exported proves the names in the snippet are the ones SdKit uses.
/// </summary>
public sealed class OpenTelemetrySnippetTests(ZooKeeperServerFixture zooKeeper) : IClassFixture<ZooKeeperServerFixture>
{
    [Fact]
    public async Task Snippet_ServerRegistersAndStops_OpenTelemetryExportsSdKitSpansAndMetrics()
    {
        var service = $"otel-{Guid.NewGuid():N}";
        var path = $"/services/{service}";
        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        var server = await HelloServer.StartAsync(
            sdkit => sdkit.AddZooKeeper(options => options.Connection.ConnectString = zooKeeper.ConnectString),
            service,
            (builder, _) =>
            {
                OpenTelemetrySnippet.Configure(builder);
                builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans));
                builder.Services.ConfigureOpenTelemetryMeterProvider(meters => meters.AddInMemoryExporter(metrics));
            });
        var instancer = server.App.Services.GetRequiredKeyedService<IInstancer>(service);
        await instancer.FirstAsync(e => e.Instances.Length == 1).ToTask().WaitAsync(TestTimeouts.Event);
        var address = server.Address;

        // Stopping deregisters; disposing the container shuts the SDK down, which flushes both exporters.
        await server.DisposeAsync();

        List<Activity> mine;
        lock (spans)
        {
            mine = [.. spans.Where(s => Equals(s.GetTagItem(SdKitSpanAttributes.ServicePath), path))];
        }

        Assert.Contains(mine, s => s.OperationName == SdKitSpanNames.Register && Equals(s.GetTagItem(SdKitSpanAttributes.Instance), address));
        Assert.Contains(mine, s => s.OperationName == SdKitSpanNames.Deregister);
        Assert.Contains(mine, s => s.OperationName == SdKitSpanNames.InstancerUpdate && Equals(s.GetTagItem(SdKitSpanAttributes.InstanceCount), 1));
        var names = metrics.Select(m => (m.MeterName, m.Name)).ToHashSet();
        Assert.Contains((SdKitDiagnostics.MeterName, SdKitDiagnostics.RegistrationStateChanges), names);
        Assert.Contains((SdKitDiagnostics.MeterName, SdKitDiagnostics.InstancerInstances), names);
        Assert.Contains(("SdKit.ZooKeeper", "sdkit.zookeeper.client.requests"), names);
    }
}
