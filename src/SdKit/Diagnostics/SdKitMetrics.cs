using System.Diagnostics.Metrics;

namespace SdKit.Diagnostics;

/// <summary>The one meter and its instruments; static so that every component reports into the same series.</summary>
internal static class SdKitMetrics
{
    internal const string ServicePathTag = "sdkit.service_path";
    internal const string OutcomeTag = "sdkit.outcome";
    internal const string StateTag = "sdkit.state";
    internal const string CodecTag = "sdkit.codec";
    internal const string DetectorTag = "sdkit.outlier.detector";

    private static readonly Meter s_meter = new(SdKitDiagnostics.MeterName, typeof(SdKitMetrics).Assembly.GetName().Version?.ToString());

    internal static readonly UpDownCounter<long> InstancerInstances = s_meter.CreateUpDownCounter<long>(
        SdKitDiagnostics.InstancerInstances, unit: "{instance}", description: "Instances currently known per instancer.");

    internal static readonly Counter<long> InstancerEvents = s_meter.CreateCounter<long>(
        SdKitDiagnostics.InstancerEvents, unit: "{event}", description: "Events published by instancers.");

    internal static readonly Counter<long> RegistrationStateChanges = s_meter.CreateCounter<long>(
        SdKitDiagnostics.RegistrationStateChanges, unit: "{change}", description: "Registration state changes.");

    internal static readonly Counter<long> Retries = s_meter.CreateCounter<long>(
        SdKitDiagnostics.Retries, unit: "{attempt}", description: "Attempts after the first made by Retry.");

    internal static readonly Counter<long> RetryFailures = s_meter.CreateCounter<long>(
        SdKitDiagnostics.RetryFailures, unit: "{call}", description: "Calls through Retry that failed after all attempts.");

    internal static readonly Counter<long> InstanceDecodeFailures = s_meter.CreateCounter<long>(
        SdKitDiagnostics.InstanceDecodeFailures, unit: "{instance}", description: "Instance strings a codec could not decode.");

    internal static readonly Counter<long> OutlierEjections = s_meter.CreateCounter<long>(
        SdKitDiagnostics.OutlierEjections, unit: "{ejection}", description: "Instances ejected as outliers, or kept in at the ejection limit.");
}
