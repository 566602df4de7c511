using Microsoft.Extensions.Diagnostics.HealthChecks;
using SdKit.Hosting.Health;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds SdKit's health check to an <see cref="IHealthChecksBuilder"/>.</summary>
public static class SdKitHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a health check from the discovery client's connection state and the hosted registration's state.
    /// Needs <c>services.AddSdKit(...)</c> with a backend. Health-driven registration (<c>SdKit:Registration:Health</c>)
    /// never counts this check.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="failureStatus">The status reported when the registration or the session is lost.</param>
    /// <param name="tags">Tags for filtering checks.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IHealthChecksBuilder AddSdKit(this IHealthChecksBuilder builder, string name = "sdkit", HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);

        // Health-driven registration leaves this check out: it reports the registration, so counting it would feed back.
        builder.Services.AddSingleton(new SdKitHealthCheckName(name));
        return builder.AddCheck<SdKitHealthCheck>(name, failureStatus, tags ?? []);
    }
}
