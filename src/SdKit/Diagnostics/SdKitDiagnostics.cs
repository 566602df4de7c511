namespace SdKit.Diagnostics;

/// <summary>
/// Names under which SdKit publishes telemetry, for <c>MeterListener</c>, OpenTelemetry's <c>AddMeter</c> and
/// <c>AddSource</c>, or <c>dotnet-counters monitor --counters SdKit</c>. docs/observability.md lists every meter,
/// instrument, span and attribute, the backends' too.
/// </summary>
public static class SdKitDiagnostics
{
    /// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/> every SdKit instrument belongs to.</summary>
    public const string MeterName = "SdKit";

    /// <summary>
    /// The name of the <see cref="System.Diagnostics.ActivitySource"/> of the core's spans (<see cref="SdKitSpanNames"/>),
    /// for OpenTelemetry's <c>AddSource</c> or an <c>ActivityListener</c>.
    /// </summary>
    public const string ActivitySourceName = "SdKit";

    /// <summary>Instances currently known per instancer (up-down counter; tag <c>sdkit.service_path</c>).</summary>
    public const string InstancerInstances = "sdkit.instancer.instances";

    /// <summary>Events an instancer published (counter; tags <c>sdkit.service_path</c>, <c>sdkit.outcome</c> = ok|error).</summary>
    public const string InstancerEvents = "sdkit.instancer.events";

    /// <summary>Registration state changes (counter; tags <c>sdkit.service_path</c>, <c>sdkit.state</c>).</summary>
    public const string RegistrationStateChanges = "sdkit.registrar.state_changes";

    /// <summary>Attempts after the first one made by <see cref="LoadBalancing.Retry"/> (counter).</summary>
    public const string Retries = "sdkit.retry.retries";

    /// <summary>Calls through <see cref="LoadBalancing.Retry"/> that failed after all attempts (counter; tag <c>sdkit.outcome</c>).</summary>
    public const string RetryFailures = "sdkit.retry.failures";

    /// <summary>Instance strings a codec could not decode (counter; tag <c>sdkit.codec</c>), see <see cref="Instances.TypedInstancer"/>.</summary>
    public const string InstanceDecodeFailures = "sdkit.instances.decode_failures";

    /// <summary>
    /// Ejection decisions of <see cref="Outliers.OutlierEjection"/> (counter; tag <c>sdkit.outcome</c>: <c>ejected</c>, or
    /// <c>limit</c> when the maximum ejected fraction kept a failing instance in; tag <c>sdkit.outlier.detector</c>:
    /// <c>consecutive</c> or <c>failure_percentage</c>, the detector that asked).
    /// </summary>
    public const string OutlierEjections = "sdkit.outlier.ejections";

    /// <summary>
    /// Health-driven registration's verdicts in SdKit.Hosting: the application's health checks taking the instance out
    /// of the registry (or disabling it in place), or putting it back (counter; tags <c>sdkit.service_path</c>,
    /// <c>sdkit.outcome</c>: <c>out</c> or <c>in</c>). Counted when the verdict flips, whether or not the registry
    /// write succeeds at once (a failed write is retried at the next check and logged).
    /// </summary>
    public const string HealthRegistrationFlips = "sdkit.registration.health_flips";
}
