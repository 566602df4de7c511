using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SdKit.Hosting.Options;

namespace SdKit.Hosting.Registration;

/// <summary>Health-driven registration: the loop that follows the first registration when <c>SdKit:Registration:Health:Enabled</c> is set.</summary>
internal sealed partial class RegistrationHostedService
{
    private readonly TaskCompletionSource<HealthDrivenRegistration> _healthStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile HealthDrivenRegistration? _health;

    /// <summary>Gets the health-driven registration loop, or <see langword="null"/> when it is off or has not started (it starts once the entry is registered).</summary>
    public HealthDrivenRegistration? Health => _health;

    /// <summary>Gets a task that completes with the health-driven registration loop once its timer runs.</summary>
    public Task<HealthDrivenRegistration> HealthStarted => _healthStarted.Task;

    /// <summary>Registers, then (when configured) follows the health checks until the host stops.</summary>
    private async Task RunAsync()
    {
        await RegisterUntilDoneAsync().ConfigureAwait(false);
        var settings = _options.Registration?.Health;
        if (!_registered || settings is not { Enabled: true } || _attempt is not { } attempt || _stopping.IsCancellationRequested)
        {
            return;
        }

        // The validator has made sure the checks are there (AddHealthChecks()).
        var checks = _services.GetRequiredService<HealthCheckService>();
        var registration = _options.Registration!;
        using var health = new HealthDrivenRegistration(
            checks,
            _sdkitChecks,
            settings,
            settings.ModeFor(attempt.Format),
            attempt.Registrar,
            attempt.Entry,
            healthy => RegistrationEntries.Create(attempt.Entry.ServicePath, attempt.Instance, registration, attempt.Format, _timeProvider, healthy, attempt.Entry.Id).Instance,
            _options.DeregisterTimeout > settings.Interval ? _options.DeregisterTimeout : settings.Interval,
            _timeProvider,
            _logger);
        _health = health;
        _healthStarted.TrySetResult(health);
        await health.RunAsync(_stopping.Token).ConfigureAwait(false);
    }
}
