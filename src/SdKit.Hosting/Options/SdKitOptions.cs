using System.ComponentModel.DataAnnotations;

namespace SdKit.Hosting.Options;

/// <summary>
/// Settings of SdKit in a host, bound from the configuration section <c>SdKit</c> (<see cref="SectionName"/>) and
/// validated when the host starts.
/// </summary>
public sealed class SdKitOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "SdKit";

    /// <summary>
    /// Gets or sets the path under which services live: the service named <c>hello</c> is watched at
    /// <c>{ServicesPath}/hello</c>. A name that starts with <c>/</c> is taken as a full service path instead.
    /// </summary>
    /// <value>The default value is <c>/services</c>.</value>
    [Required]
    public string ServicesPath { get; set; } = SdKitConstants.DefaultServicesPath;

    /// <summary>
    /// Gets or sets the entry this application registers once it has started, or <see langword="null"/> to
    /// register nothing (a pure client).
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public SdKitRegistrationOptions? Registration { get; set; }

    /// <summary>Gets or sets how a failing startup registration is retried in the background.</summary>
    /// <value>The default value starts at 200 ms and doubles up to 30 s, with jitter.</value>
    [Required]
    public SdKitRetryOptions RegistrationRetry { get; set; } = new();

    /// <summary>
    /// Gets or sets how long deregistration may take when the application stops, before connections drain.
    /// </summary>
    /// <value>The default value is 5 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan DeregisterTimeout { get; set; } = SdKitConstants.DefaultDeregisterTimeout;

    /// <summary>
    /// Gets or sets how long the application keeps serving after its entry left the registry while it stops
    /// (graceful drain): deregister first, serve on while callers see the removal and calls in flight finish, then
    /// let the server stop. Bounded by the host's shutdown timeout.
    /// </summary>
    /// <value>The default value is zero: the server stops right after the deregistration.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan DrainDelay { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// Gets or sets the longest the HttpClient service-discovery provider waits for the registry's first answer
    /// about a service before it answers with what it has. It answers as soon as that first answer arrives, even
    /// when the service has no instances or the first read failed (<see cref="SdKit.Instances.IInstancer.WaitForFirstEventAsync"/>);
    /// zero answers at once.
    /// </summary>
    /// <value>The default value is 5 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan FirstSnapshotTimeout { get; set; } = SdKitConstants.DefaultFirstSnapshotTimeout;

    /// <summary>
    /// Gets the instances an HttpClient call to <c>http://{service}</c> uses while SdKit knows no instance of the
    /// service because the registry has not answered or cannot be read, by service name
    /// (<c>SdKit:FallbackInstances:hello:0 = http://10.0.0.5:8080</c>). Without an entry such a call throws
    /// <see cref="ServiceDiscovery.RegistryUnavailableException"/>. Instance strings as in the registry: a URI or
    /// <c>host:port</c>.
    /// </summary>
    /// <value>The default value is empty: no fallback.</value>
    public IDictionary<string, IList<string>> FallbackInstances { get; } = new Dictionary<string, IList<string>>(StringComparer.OrdinalIgnoreCase);
}
