namespace SdKit.Diagnostics;

/// <summary>The attribute (tag) names SdKit's spans carry; docs/observability.md says which span has which.</summary>
public static class SdKitSpanAttributes
{
    /// <summary>The service path, for example <c>/services/hello</c> (also the metrics' tag).</summary>
    public const string ServicePath = "sdkit.service_path";

    /// <summary>An instance string, for example <c>http://127.0.0.1:8080</c>: the one registered, or the one a retry attempt called.</summary>
    public const string Instance = "sdkit.instance";

    /// <summary>The key the registry stored an entry under (a ZooKeeper node path, an etcd key).</summary>
    public const string RegistrationKey = "sdkit.registration.key";

    /// <summary>Why a registration was written: <c>start</c> or <c>recovery</c>.</summary>
    public const string RegistrationReason = "sdkit.registration.reason";

    /// <summary>Why a registration went out of the registry: <c>session_or_lease_lost</c> or <c>client_closed</c>.</summary>
    public const string RegistrationLostCause = "sdkit.registration.lost_cause";

    /// <summary>The number of a registration attempt or retry attempt, from 1.</summary>
    public const string Attempt = "sdkit.attempt";

    /// <summary>The number of instances after an instancer update.</summary>
    public const string InstanceCount = "sdkit.instances.count";

    /// <summary>The instances an update added (a string array).</summary>
    public const string InstancesJoined = "sdkit.instances.joined";

    /// <summary>The instances an update removed (a string array).</summary>
    public const string InstancesLeft = "sdkit.instances.left";

    /// <summary>The most attempts a retry call may make.</summary>
    public const string MaxAttempts = "sdkit.retry.max_attempts";

    /// <summary>
    /// How a call or an outage ended: for a retry call <c>ok</c>, <c>exhausted</c>, <c>stopped</c> (by the callback),
    /// <c>timeout</c> or <c>cancelled</c>; for a lost registration <c>registered</c> or <c>stopped</c>.
    /// </summary>
    public const string Outcome = "sdkit.outcome";

    /// <summary>The full name of the exception type of a failed span (OpenTelemetry's <c>error.type</c>).</summary>
    public const string ErrorType = "error.type";
}
