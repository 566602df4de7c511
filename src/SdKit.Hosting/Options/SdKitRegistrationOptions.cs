using System.ComponentModel.DataAnnotations;

namespace SdKit.Hosting.Options;

/// <summary>
/// The service entry a host registers once it has started (section <c>SdKit:Registration</c>).
/// </summary>
public sealed class SdKitRegistrationOptions
{
    /// <summary>
    /// Gets or sets the service to register under: a name (<c>hello</c>, placed under
    /// <see cref="SdKitOptions.ServicesPath"/>) or a full service path (<c>/services/hello</c>).
    /// </summary>
    /// <value>The default value is <see langword="null"/>, which fails validation.</value>
    [Required]
    public string? Service { get; set; }

    /// <summary>
    /// Gets or sets the instance string that watchers see, for example <c>http://127.0.0.1:8080</c> or
    /// <c>127.0.0.1:8080</c>.
    /// </summary>
    /// <value>
    /// The default value is <see langword="null"/>, which fails validation unless the instance is computed at
    /// startup (<c>AddRegistration(service, provider =&gt; ...)</c>).
    /// </value>
    public string? Instance { get; set; }

    /// <summary>
    /// Gets or sets the instance id within the service, for backends and formats that use one (etcd's key, the
    /// Curator layout's node name, the id inside a JSON format).
    /// </summary>
    /// <value>The default value is <see langword="null"/>: the backend chooses (a new UUID for the JSON formats).</value>
    public string? Id { get; set; }

    /// <summary>
    /// Gets or sets the format the instance is written in (<c>plain</c>, <c>seed-etcd-json</c>, <c>sdkit-json</c>,
    /// <c>curator</c>; see <see cref="SdKit.Instances.Codecs.InstanceFormats"/>). For every format but <c>plain</c>,
    /// <see cref="Instance"/> is read as the address (<c>host:port</c> or a URI) and the registered string is the
    /// format's encoding of that address with <see cref="Id"/>, <see cref="Metadata"/>, <see cref="Weight"/>,
    /// <see cref="Zone"/> and <see cref="Enabled"/>.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: the backend's format (<c>SdKit:ZooKeeper:InstanceFormat</c>, <c>SdKit:Etcd:InstanceFormat</c>), else <c>plain</c>.</value>
    public string? Format { get; set; }

    /// <summary>Gets the metadata written with the instance (<c>SdKit:Registration:Metadata:version = 2</c>); formats <c>sdkit-json</c> and <c>curator</c> carry it.</summary>
    public IDictionary<string, string> Metadata { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Gets or sets the relative weight for weighted balancing, greater than zero; format <c>sdkit-json</c> carries it.</summary>
    /// <value>The default value is 1.</value>
    public int Weight { get; set; } = 1;

    /// <summary>Gets or sets the zone or locality; format <c>sdkit-json</c> carries it.</summary>
    /// <value>The default value is <see langword="null"/>: no zone.</value>
    public string? Zone { get; set; }

    /// <summary>Gets or sets a value indicating whether callers should use the instance; formats <c>sdkit-json</c> and <c>curator</c> carry it.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Gets or sets health-driven registration: the instance leaves the registry (or is disabled in place) while the
    /// application's health checks fail, and comes back when they pass (section <c>SdKit:Registration:Health</c>).
    /// </summary>
    /// <value>The default value is off (<see cref="SdKitHealthRegistrationOptions.Enabled"/> <see langword="false"/>).</value>
    public SdKitHealthRegistrationOptions Health { get; set; } = new();

    /// <summary>Gets a value indicating whether a typed field is set to something the bare string cannot carry.</summary>
    internal bool HasTypedFields => Metadata.Count > 0 || Weight != 1 || Zone is not null || !Enabled;
}
