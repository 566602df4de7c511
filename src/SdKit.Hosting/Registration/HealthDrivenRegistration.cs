using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using SdKit.Client;
using SdKit.Hosting.Options;
using SdKit.Registration;

namespace SdKit.Hosting.Registration;

/// <summary>
/// Runs the application's health checks every interval once the entry is registered and applies their verdict with
/// hysteresis: out of the registry (or disabled in place) after a number of Unhealthy results in a row, back after a
/// number of healthy or Degraded ones. One loop, owned by <see cref="RegistrationHostedService"/>, which stops it before
/// it deregisters; it never ends on an error (a failed check or write is logged and tried again at the next interval).
/// </summary>
internal sealed partial class HealthDrivenRegistration : IDisposable
{
    private readonly HealthCheckService _checks;
    private readonly Func<HealthCheckRegistration, bool> _counts;
    private readonly SdKitHealthRegistrationOptions _options;
    private readonly IRegistrar _registrar;
    private readonly ServiceEntry _entry;
    private readonly Func<bool, string> _encode;
    private readonly TimeSpan _applyTimeout;
    private readonly ILogger _logger;
    private readonly PeriodicTimer _timer;
    private readonly TimeProvider _timeProvider;
    private volatile bool _wantIn = true;
    private volatile bool _isIn = true;
    private volatile int _failures;
    private volatile int _successes;

    /// <summary>Initializes the loop; its timer starts now, the first check runs one interval later.</summary>
    /// <param name="checks">The application's health checks.</param>
    /// <param name="excluded">The names of SdKit's own checks, which never count.</param>
    /// <param name="options">The thresholds, interval and tag.</param>
    /// <param name="mode">The mode, <see cref="HealthRegistrationMode.Auto"/> resolved.</param>
    /// <param name="registrar">The registrar keeping the entry.</param>
    /// <param name="entry">The registered entry (for the log).</param>
    /// <param name="encode">Returns the instance string, enabled or not (Disable mode).</param>
    /// <param name="applyTimeout">The longest one registration, deregistration or update may take.</param>
    /// <param name="timeProvider">The clock of the interval.</param>
    /// <param name="logger">Where flips and failures are logged.</param>
    public HealthDrivenRegistration(
        HealthCheckService checks,
        IReadOnlySet<string> excluded,
        SdKitHealthRegistrationOptions options,
        HealthRegistrationMode mode,
        IRegistrar registrar,
        ServiceEntry entry,
        Func<bool, string> encode,
        TimeSpan applyTimeout,
        TimeProvider timeProvider,
        ILogger logger)
    {
        _checks = checks;
        _options = options;
        Mode = mode;
        _registrar = registrar;
        _entry = entry;
        _encode = encode;
        _applyTimeout = applyTimeout;
        _logger = logger;
        var tag = options.Tag;
        _counts = check => !excluded.Contains(check.Name) && (tag is null || check.Tags.Contains(tag));
        _timeProvider = timeProvider;
        _timer = new PeriodicTimer(options.Interval, timeProvider);
    }

    /// <summary>Raised after each check has been counted and its verdict applied (tests wait for it).</summary>
    public event EventHandler? CheckCompleted;

    /// <summary>Gets the mode in use.</summary>
    public HealthRegistrationMode Mode { get; }

    /// <summary>Gets a value indicating whether the entry is in the registry and enabled as far as health goes.</summary>
    public bool IsIn => _isIn;

    /// <summary>Gets how many Unhealthy results came in a row (0 after a healthy one).</summary>
    public int ConsecutiveFailures => _failures;

    /// <summary>Gets how many healthy or Degraded results came in a row (0 after an Unhealthy one).</summary>
    public int ConsecutiveSuccesses => _successes;

    /// <summary>Checks every interval until <paramref name="cancellationToken"/> fires (the host stops).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Log.HealthDriven(_logger, _entry.Instance, _entry.ServicePath, _options.Interval, _options.FailuresBeforeOut, Mode, _options.SuccessesBeforeIn, _options.Tag is { } tag ? $"tagged '{tag}'" : "all but SdKit's own");
        try
        {
            while (await _timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await CheckOnceAsync(cancellationToken).ConfigureAwait(false);
                CheckCompleted?.Invoke(this, EventArgs.Empty);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host is stopping: its deregistration follows.
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _timer.Dispose();

    private async Task CheckOnceAsync(CancellationToken cancellationToken)
    {
        bool healthy;
        string problem = string.Empty;
        try
        {
            // A run is bounded by the interval (Consul's check timeout): a check that hangs, even one that ignores
            // its token, counts as a failure instead of stopping the loop.
            using var timeout = new CancellationTokenSource(_options.Interval, _timeProvider);
            using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            HealthReport report;
            try
            {
                report = await _checks.CheckHealthAsync(_counts, run.Token).WaitAsync(run.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"The health checks did not finish within the interval of {_options.Interval}.", ex);
            }

            healthy = report.Status != HealthStatus.Unhealthy; // Degraded still serves, as in Consul's warning state.
            if (!healthy)
            {
                problem = Describe(report);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The health check service reports a throwing check as Unhealthy itself; this is the run timing out or
            // the service failing. It counts as a failure, and the loop goes on.
            Log.HealthCheckFailed(_logger, ex, _entry.Instance);
            healthy = false;
            problem = ex.Message;
        }

        if (healthy)
        {
            _successes++;
            _failures = 0;
        }
        else
        {
            _failures++;
            _successes = 0;
        }

        if (_wantIn && !healthy && _failures >= _options.FailuresBeforeOut)
        {
            _wantIn = false;
            Log.HealthOut(_logger, _entry.Instance, _failures, problem, _entry.ServicePath, Mode);
            HostingMetrics.HealthRegistrationFlips.Add(1, new TagList { { HostingMetrics.ServicePathTag, _entry.ServicePath }, { HostingMetrics.OutcomeTag, "out" } });
        }
        else if (!_wantIn && healthy && _successes >= _options.SuccessesBeforeIn)
        {
            _wantIn = true;
            Log.HealthIn(_logger, _entry.Instance, _successes, _entry.ServicePath, Mode);
            HostingMetrics.HealthRegistrationFlips.Add(1, new TagList { { HostingMetrics.ServicePathTag, _entry.ServicePath }, { HostingMetrics.OutcomeTag, "in" } });
        }

        if (_wantIn != _isIn)
        {
            await ApplyAsync(_wantIn, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ApplyAsync(bool wantIn, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_applyTimeout);
        try
        {
            if (Mode == HealthRegistrationMode.Disable)
            {
                await _registrar.UpdateAsync(_encode(wantIn), timeout.Token).ConfigureAwait(false);
            }
            else if (wantIn)
            {
                await _registrar.RegisterAsync(timeout.Token).ConfigureAwait(false);
            }
            else
            {
                await _registrar.DeregisterAsync(timeout.Token).ConfigureAwait(false);
            }

            _isIn = wantIn;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // An unreachable registry, a refused write, a timeout: the verdict stands and is applied at the next check.
            Log.HealthApplyFailed(_logger, ex, _entry.Instance, wantIn ? "back in" : "out of", _entry.ServicePath, _options.Interval);
        }
    }

    private static string Describe(HealthReport report)
        => string.Join("; ", report.Entries
            .Where(e => e.Value.Status == HealthStatus.Unhealthy)
            .Select(e => e.Value.Description is { Length: > 0 } description ? $"{e.Key}: {description}" : e.Key));

    private static partial class Log
    {
        [LoggerMessage(9, LogLevel.Information, "Health checks drive the registration of '{Instance}' under '{ServicePath}': checked every {Interval}, out after {FailuresBeforeOut} Unhealthy results in a row ({Mode}), back after {SuccessesBeforeIn} healthy ones; checks counted: {Checks}.", EventName = "HealthDriven")]
        public static partial void HealthDriven(ILogger logger, string instance, string servicePath, TimeSpan interval, int failuresBeforeOut, HealthRegistrationMode mode, int successesBeforeIn, string checks);

        [LoggerMessage(10, LogLevel.Warning, "'{Instance}' was Unhealthy {Failures} times in a row ({Problem}); taking it out of '{ServicePath}' ({Mode}).", EventName = "HealthOut")]
        public static partial void HealthOut(ILogger logger, string instance, int failures, string problem, string servicePath, HealthRegistrationMode mode);

        [LoggerMessage(11, LogLevel.Information, "'{Instance}' was healthy {Successes} times in a row; putting it back in '{ServicePath}' ({Mode}).", EventName = "HealthIn")]
        public static partial void HealthIn(ILogger logger, string instance, int successes, string servicePath, HealthRegistrationMode mode);

        [LoggerMessage(12, LogLevel.Warning, "Putting '{Instance}' {Direction} '{ServicePath}' after its health changed failed; trying again at the next check in {Interval}.", EventName = "HealthApplyFailed")]
        public static partial void HealthApplyFailed(ILogger logger, Exception exception, string instance, string direction, string servicePath, TimeSpan interval);

        [LoggerMessage(13, LogLevel.Warning, "Running the health checks of '{Instance}' failed; counted as Unhealthy.", EventName = "HealthCheckFailed")]
        public static partial void HealthCheckFailed(ILogger logger, Exception exception, string instance);
    }
}
