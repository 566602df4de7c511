using System.Diagnostics.Metrics;
using SdKit.Diagnostics;

namespace SdKit.Hosting.Registration;

/// <summary>
/// The hosting layer's instruments. They belong to a meter named <see cref="SdKitDiagnostics.MeterName"/> like the
/// core's, so one <c>AddMeter("SdKit")</c> (or <c>dotnet-counters --counters SdKit</c>) collects both; a listener tells
/// meters apart by name only.
/// </summary>
internal static class HostingMetrics
{
    internal const string ServicePathTag = "sdkit.service_path";
    internal const string OutcomeTag = "sdkit.outcome";

    private static readonly Meter s_meter = new(SdKitDiagnostics.MeterName, typeof(HostingMetrics).Assembly.GetName().Version?.ToString());

    internal static readonly Counter<long> HealthRegistrationFlips = s_meter.CreateCounter<long>(
        SdKitDiagnostics.HealthRegistrationFlips, unit: "{flip}", description: "Health-driven registration taking the instance out of the registry or putting it back.");
}
