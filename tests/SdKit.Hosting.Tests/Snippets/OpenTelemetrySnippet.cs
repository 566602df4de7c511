using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using SdKit.Diagnostics;

namespace SdKit.Hosting.Tests.Snippets;

/// <summary>docs/observability.md: SdKit's meters and activity sources in OpenTelemetry.</summary>
internal static class OpenTelemetrySnippet
{
    public static void Configure(WebApplicationBuilder builder)
    {
        // begin-snippet: opentelemetry
        // Needs the OpenTelemetry.Extensions.Hosting package, and an exporter of your choice after each Add...:
        // for example .AddOtlpExporter() from OpenTelemetry.Exporter.OpenTelemetryProtocol.
        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                // "SdKit": instancers, registrars, retries; "SdKit.ZooKeeper": the ZooKeeper client's session and
                // requests; "SdKit.Etcd": leases and watches.
                .AddMeter(SdKitDiagnostics.MeterName, "SdKit.ZooKeeper", "SdKit.Etcd"))
            .WithTracing(tracing => tracing
                // "SdKit": registrations, lost registrations, instancer updates, retry attempts; "SdKit.ZooKeeper":
                // suspended and lost sessions; "SdKit.Etcd": lost leases.
                .AddSource(SdKitDiagnostics.ActivitySourceName, "SdKit.ZooKeeper", "SdKit.Etcd"));
        // end-snippet
    }
}
