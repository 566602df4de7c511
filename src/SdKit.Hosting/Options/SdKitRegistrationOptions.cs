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

    /// <summary>Gets or sets the instance id within the service, for backends that use one (etcd).</summary>
    /// <value>The default value is <see langword="null"/>: the backend chooses.</value>
    public string? Id { get; set; }
}
