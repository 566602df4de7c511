namespace SdKit.Hosting.Options;

/// <summary>
/// Health-driven registration (section <c>SdKit:Registration:Health</c>): the application's health checks
/// (<c>Microsoft.Extensions.Diagnostics.HealthChecks</c>) run every <see cref="Interval"/>; after
/// <see cref="FailuresBeforeOut"/> Unhealthy results in a row the instance is taken out of the registry (or disabled in
/// place, see <see cref="Mode"/>), and after <see cref="SuccessesBeforeIn"/> healthy (or Degraded) results in a row it
/// is back. SdKit's own check (<c>AddHealthChecks().AddSdKit()</c>) never counts.
/// </summary>
public sealed class SdKitHealthRegistrationOptions
{
    /// <summary>Gets or sets a value indicating whether the health checks drive the registration.</summary>
    /// <value>The default value is <see langword="false"/>: the instance stays registered whatever its health.</value>
    public bool Enabled { get; set; }

    /// <summary>Gets or sets how often the health checks run, from the registration on; greater than zero.</summary>
    /// <value>The default value is 10 seconds (Consul's usual check interval).</value>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets how many Unhealthy results in a row take the instance out (Consul's <c>failures_before_critical</c>); at least 1.</summary>
    /// <value>The default value is 3.</value>
    public int FailuresBeforeOut { get; set; } = 3;

    /// <summary>Gets or sets how many healthy or Degraded results in a row bring an instance that is out back (Consul's <c>success_before_passing</c>); at least 1.</summary>
    /// <value>The default value is 2.</value>
    public int SuccessesBeforeIn { get; set; } = 2;

    /// <summary>Gets or sets the tag a health check must have to count (for example <c>ready</c>).</summary>
    /// <value>The default value is <see langword="null"/>: every check but SdKit's own counts.</value>
    public string? Tag { get; set; }

    /// <summary>Gets or sets how an unhealthy instance is taken out.</summary>
    /// <value>The default value is <see cref="HealthRegistrationMode.Auto"/>: disabled in place when the format carries an enabled flag, else deregistered.</value>
    public HealthRegistrationMode Mode { get; set; } = HealthRegistrationMode.Auto;

    /// <summary>Returns the mode used with <paramref name="format"/>: <see cref="HealthRegistrationMode.Auto"/> resolved.</summary>
    internal HealthRegistrationMode ModeFor(string format)
        => Mode != HealthRegistrationMode.Auto ? Mode : CarriesEnabled(format) ? HealthRegistrationMode.Disable : HealthRegistrationMode.Deregister;

    /// <summary>Returns whether <paramref name="format"/> carries an enabled flag.</summary>
    internal static bool CarriesEnabled(string format)
        => string.Equals(format, SdKit.Instances.Codecs.InstanceFormats.SdKitJson, StringComparison.OrdinalIgnoreCase)
            || string.Equals(format, SdKit.Instances.Codecs.InstanceFormats.Curator, StringComparison.OrdinalIgnoreCase);
}
