using Microsoft.Extensions.Diagnostics.HealthChecks;
using SdKit.Client;
using SdKit.Hosting.Registration;
using SdKit.Registration;

namespace SdKit.Hosting.Health;

/// <summary>
/// Reports the discovery client's connection and the hosted registration: healthy when connected and (if the
/// application registers itself) registered; degraded while suspended or still registering; unhealthy when
/// the session or lease is lost, the client is closed, or the startup registration keeps failing.
/// </summary>
internal sealed class SdKitHealthCheck(IDiscoveryClient client, RegistrationHostedService registration) : IHealthCheck
{
    /// <inheritdoc/>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var connection = client.State;
        var data = new Dictionary<string, object> { ["connection"] = connection.ToString() };
        RegistrationState? state = null;
        var healthOut = false;
        if (registration.IsConfigured)
        {
            state = registration.Registrar?.State ?? RegistrationState.Unregistered;
            data["registration"] = state.Value.ToString();
            if (registration.Entry is { } entry)
            {
                data["entry"] = $"{entry.ServicePath} {entry.Instance}";
            }

            if (registration.Health is { } health)
            {
                // Health-driven registration: whether the application's own checks keep the entry in.
                data["health"] = health.IsIn ? "in" : $"out ({health.Mode})";
                data["healthFailures"] = health.ConsecutiveFailures;
                data["healthSuccesses"] = health.ConsecutiveSuccesses;
                healthOut = !health.IsIn;
            }
        }

        var result = Evaluate(connection, state, healthOut, registration.LastError, registration.FailedAttempts, context.Registration.FailureStatus, data);
        return Task.FromResult(result);
    }

    private static HealthCheckResult Evaluate(ConnectionState connection, RegistrationState? state, bool healthOut, Exception? lastError, int failedAttempts, HealthStatus failureStatus, Dictionary<string, object> data)
    {
        switch (connection)
        {
            case ConnectionState.Lost:
                return new HealthCheckResult(failureStatus, "The discovery session or lease is lost; registered entries are gone until it reconnects.", data: data);
            case ConnectionState.Closed:
                return new HealthCheckResult(failureStatus, "The discovery client is closed.", data: data);
        }

        if (lastError is not null && state is not RegistrationState.Registered)
        {
            return new HealthCheckResult(failureStatus, $"Registration failed {failedAttempts} time(s) and is retried in the background: {lastError.Message}", lastError, data);
        }

        switch (state)
        {
            case RegistrationState.Lost:
                return new HealthCheckResult(failureStatus, "The registration is lost; the registrar is registering again.", data: data);
            case RegistrationState.Unregistered or RegistrationState.Registering:
                return HealthCheckResult.Degraded("Not registered yet.", data: data);
            case RegistrationState.Suspended:
                return HealthCheckResult.Degraded("The registration cannot be confirmed while the connection is suspended.", data: data);
            case RegistrationState.Deregistered when healthOut:
                return HealthCheckResult.Degraded("Out of the registry: the application's health checks failed; it is registered again once they pass.", data: data);
            case RegistrationState.Deregistered:
                return HealthCheckResult.Degraded("Deregistered: the application is stopping.", data: data);
        }

        return connection == ConnectionState.Suspended
            ? HealthCheckResult.Degraded("The connection to the registry is suspended; what is known may be stale.", data: data)
            : HealthCheckResult.Healthy(state is null ? "Connected." : "Connected and registered.", data);
    }
}
