using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using SdKit.Soak.Backends;
using SdKit.Soak.Checking;
using SdKit.Soak.Faults;
using SdKit.Soak.Reporting;

namespace SdKit.Soak;

/// <summary>
/// One soak run: build the world, then until the time is up inject a seeded fault, wait for it to settle, and measure
/// how long until every watcher and the registry match the live registrations and stay so; finally check that nothing
/// is lost, nothing went unobserved and resources stayed flat, and write the summary and the plot.
/// </summary>
internal sealed partial class SoakRun(SoakOptions options)
{
    /// <summary>How long a match must hold before a fault counts as converged (also the minimum gap between faults).</summary>
    private static readonly TimeSpan s_stableWindow = TimeSpan.FromSeconds(2);

    /// <summary>How long past the bound the run waits for a fault to converge before calling it lost.</summary>
    private static readonly TimeSpan s_giveUpAfterBound = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(100);

    private readonly List<FaultRecord> _faults = [];
    private readonly Lock _logLock = new();
    private StreamWriter? _faultLog;
    private StallDetector? _stalls;

    public async Task<int> RunAsync()
    {
        Directory.CreateDirectory(options.OutputDirectory);
        _faultLog = new StreamWriter(Path.Combine(options.OutputDirectory, "faults.log")) { AutoFlush = true };
        var profile = BackendProfile.For(options.Backend);
        using var fileLogger = new FileLoggerProvider(Path.Combine(options.OutputDirectory, "sdkit.log"), LogLevel.Information);
        using var loggers = LoggerFactory.Create(b => b.AddProvider(fileLogger).SetMinimumLevel(LogLevel.Information));
        using var errors = new ErrorWatch(Log);
        using var stalls = new StallDetector();
        _stalls = stalls;
        Log($"soak {options.Backend} seed {options.Seed} for {options.Minutes} min; session/TTL {profile.SessionOrTtl.TotalSeconds} s, bound {profile.Bound.TotalSeconds} s; output {options.OutputDirectory}");

        var resources = new ResourceMonitor(TimeSpan.FromSeconds(5));
        var world = await SoakWorld.BuildAsync(options, profile, loggers, errors, Log).ConfigureAwait(false);
        int lostAtEnd;
        string[] leaks;
        try
        {
            await WaitForConvergenceAsync(world, profile, null).ConfigureAwait(false);
            var plan = new FaultPlan(options.Seed, profile.SessionOrTtl);
            var injector = new FaultInjector(world, plan, Log);
            var clock = Stopwatch.StartNew();
            var duration = TimeSpan.FromMinutes(options.Minutes);
            while (clock.Elapsed < duration)
            {
                var fault = new FaultRecord { Number = _faults.Count + 1, Kind = injector.Applicable(plan.NextKind()) };
                _faults.Add(fault);
                using var sampling = new CancellationTokenSource();
                var sampler = SampleWhileHeldAsync(world, fault, sampling.Token);
                try
                {
                    await injector.InjectAsync(fault).ConfigureAwait(false);
                }
#pragma warning disable CA1031 // A fault step that fails is recorded and the run goes on; the invariant decides.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    fault.SettledUtc = DateTime.UtcNow;
                    fault.Failure = $"injection failed: {ex.GetType().Name}: {ex.Message}";
                    Log($"fault #{fault.Number} {fault.Kind}: {fault.Failure}");
                }

                await sampling.CancelAsync().ConfigureAwait(false);
                await sampler.ConfigureAwait(false);
                await WaitForConvergenceAsync(world, profile, fault).ConfigureAwait(false);
                if (options.Sabotage && fault.Number == 2)
                {
                    await SabotageAsync(world).ConfigureAwait(false);
                }

                await Task.Delay(plan.ExtraGap()).ConfigureAwait(false);
            }

            Log("fault phase over; final check");
            var final = await WaitForConvergenceAsync(world, profile, null).ConfigureAwait(false);
            lostAtEnd = final;
            leaks = [.. world.EndpointLeaks()];
            foreach (var leak in leaks)
            {
                Log("endpoint leak: " + leak);
            }
        }
        finally
        {
            Log("stopping the world");
            await world.DisposeAsync().ConfigureAwait(false);
            await resources.DisposeAsync().ConfigureAwait(false);
        }

        // Let finalizers surface faulted tasks of the disposed clients before counting.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var summary = SoakSummary.Create(options, profile, _faults, lostAtEnd, errors, fileLogger, resources, leaks, stalls.Stalls);
        ConvergencePlot.Write(Path.Combine(options.OutputDirectory, "convergence.png"), options, profile, _faults);
        await FaultTable.WriteAsync(Path.Combine(options.OutputDirectory, "faults.csv"), _faults).ConfigureAwait(false);
        var json = summary.ToJson();
        await File.WriteAllTextAsync(Path.Combine(options.OutputDirectory, "summary.json"), json + "\n").ConfigureAwait(false);
        Log(summary.InvariantHeld ? "INVARIANT HELD" : "INVARIANT BROKEN: " + string.Join("; ", summary.Violations));
        await _faultLog.DisposeAsync().ConfigureAwait(false);
        Console.WriteLine(json);
        return summary.InvariantHeld ? 0 : 1;
    }

    private async Task SabotageAsync(SoakWorld world)
    {
        var victim = world.Registrations.First(r => r.Wanted && r.Registrar.Registration is not null);
        var client = world.Clients[victim.ClientIndex].Client;
        Log($"SABOTAGE: deleting {victim.Entry.Instance} behind its registrar's back; the run must report it lost");
        await client.DeregisterAsync(victim.Registrar.Registration!).ConfigureAwait(false);
    }

    private void Log(string message)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:HH:mm:ss.fff} {message}");
        lock (_logLock)
        {
            Console.Error.WriteLine(line);
            _faultLog?.WriteLine(line);
        }
    }
}
