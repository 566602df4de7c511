namespace SdKit.Hosting.Options;

/// <summary>How health-driven registration takes an unhealthy instance out (<c>SdKit:Registration:Health:Mode</c>).</summary>
public enum HealthRegistrationMode
{
    /// <summary><see cref="Disable"/> when the registration's format carries an enabled flag (<c>sdkit-json</c>, <c>curator</c>), else <see cref="Deregister"/>.</summary>
    Auto = 0,

    /// <summary>The entry is deregistered while unhealthy and registered again when healthy; watchers see it leave and join.</summary>
    Deregister = 1,

    /// <summary>
    /// The entry stays registered and is updated in place with <c>enabled: false</c> while unhealthy; callers that honour
    /// the flag (SdKit's HttpClient endpoints) pass over it. Needs format <c>sdkit-json</c> or <c>curator</c>.
    /// </summary>
    Disable = 2,
}
