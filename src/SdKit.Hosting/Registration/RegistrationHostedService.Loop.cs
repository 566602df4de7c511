namespace SdKit.Hosting.Registration;

/// <summary>The background startup loop: a failing first registration is retried, never a crash.</summary>
internal sealed partial class RegistrationHostedService
{
    private async Task RegisterUntilDoneAsync()
    {
        RegistrationAttempt attempt;
        try
        {
            attempt = CreateAttempt();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A bad computed instance string cannot heal by retrying: report it through the health check.
            _lastError = ex;
            Interlocked.Increment(ref _failedAttempts);
            Log.RegistrationInvalid(_logger, ex);
            return;
        }

        _attempt = attempt;
        _registrarCreated.TrySetResult(attempt.Registrar);
        var retry = _options.RegistrationRetry;
        var delay = retry.InitialDelay;
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await attempt.Registrar.RegisterAsync(_stopping.Token).ConfigureAwait(false);
                _lastError = null;
                _registered = true;
                return;
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Any failure (unreachable registry, refused write) is reported through the health check and the
                // log; the host keeps running and the attempt is repeated with capped, jittered backoff.
                _lastError = ex;
                var attempts = Interlocked.Increment(ref _failedAttempts);
                var wait = Jitter(delay);
                Log.RegisterFailed(_logger, ex, attempt.Entry.ServicePath, attempt.Entry.Instance, attempts, wait);
                try
                {
                    await Task.Delay(wait, _timeProvider, _stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, retry.MaxDelay.Ticks));
            }
        }
    }

    private RegistrationAttempt CreateAttempt()
    {
        var registration = _options.Registration!;
        var instance = _instanceSource?.Resolve(_services) ?? registration.Instance!;
        var format = registration.Format ?? _backendFormat?.Resolve(_services) ?? SdKit.Instances.Codecs.InstanceFormats.Plain;
        var entry = RegistrationEntries.Create(Options.ServiceNames.ToPath(_options.ServicesPath, registration.Service!), instance, registration, format, _timeProvider);
        return new RegistrationAttempt(entry, _components.CreateRegistrar(_client, entry), instance, format);
    }

    private static TimeSpan Jitter(TimeSpan delay)
        => TimeSpan.FromTicks((long)(delay.Ticks * (0.5 + (Random.Shared.NextDouble() * 0.5))));
}
