namespace SdKit.Diagnostics;

/// <summary>
/// The names of the spans on the <see cref="SdKitDiagnostics.ActivitySourceName"/> source. Each is documented with its
/// attributes (<see cref="SdKitSpanAttributes"/>) in docs/observability.md.
/// </summary>
public static class SdKitSpanNames
{
    /// <summary>
    /// One attempt of a registrar to write its entry: at start (<see cref="SdKitSpanAttributes.RegistrationReason"/>
    /// <c>start</c>) or again after the session or lease was lost (<c>recovery</c>, the root of its own trace).
    /// </summary>
    public const string Register = "sdkit.registrar.register";

    /// <summary>A registrar removing its entry from the registry.</summary>
    public const string Deregister = "sdkit.registrar.deregister";

    /// <summary>
    /// The time a registrar's entry was out of the registry: from the loss of the session or lease to the entry being
    /// written again, or to the registrar stopping first (status error). The root of its own trace.
    /// </summary>
    public const string RegistrationLost = "sdkit.registrar.lost";

    /// <summary>An instancer publishing a changed set of instances, or a watch error (status error); the root of its own trace.</summary>
    public const string InstancerUpdate = "sdkit.instancer.update";

    /// <summary>One call through a <see cref="LoadBalancing.Retry"/> endpoint, across all its attempts; a child of the caller's span.</summary>
    public const string Retry = "sdkit.retry";

    /// <summary>One attempt of a <see cref="LoadBalancing.Retry"/> call on the instance the balancer chose; the endpoint's own spans are its children.</summary>
    public const string RetryAttempt = "sdkit.retry.attempt";
}
