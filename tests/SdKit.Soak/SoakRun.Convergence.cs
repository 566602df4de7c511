using System.Diagnostics;
using System.Globalization;
using SdKit.Soak.Backends;
using SdKit.Soak.Faults;

namespace SdKit.Soak;

/// <content>Measuring convergence after a fault.</content>
internal sealed partial class SoakRun
{
    /// <summary>
    /// Polls the watchers from the moment the fault settled until they have matched the expectation for
    /// <see cref="s_stableWindow"/> without a break and the registry, read directly, agrees. The convergence time is
    /// the start of that final unbroken match, measured from settling: a watcher that matches, drifts and matches
    /// again is charged for the drift. Gives up <see cref="s_giveUpAfterBound"/> after the bound.
    /// </summary>
    /// <returns>The number of wanted entries missing from the registry if it gave up, else 0.</returns>
    private async Task<int> WaitForConvergenceAsync(SoakWorld world, BackendProfile profile, FaultRecord? fault)
    {
        var settled = Stopwatch.StartNew();
        var settledUtc = DateTime.UtcNow;
        var deadline = profile.Bound + s_giveUpAfterBound + s_stableWindow;
        TimeSpan? matchSince = null;
        string? lastDifference = null;
        var label = fault is null ? "baseline" : $"fault #{fault.Number} {fault.Kind}";
        while (settled.Elapsed < deadline)
        {
            var expected = world.Expected();
            var difference = world.WatcherMismatch(expected);
            var now = settled.Elapsed;
            if (difference is not null)
            {
                matchSince = null;
                lastDifference = difference;
            }
            else
            {
                matchSince ??= now;
                if (now - matchSince.Value >= s_stableWindow)
                {
                    using var reading = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    var (registryDifference, _) = await world.RegistryMismatchAsync(expected, reading.Token).ConfigureAwait(false);
                    if (registryDifference is null)
                    {
                        Record(fault, matchSince.Value, settledUtc, profile, label, difference: lastDifference);
                        return 0;
                    }

                    // The watchers agree with each other but not with the registry: keep waiting, this is not converged.
                    lastDifference = registryDifference;
                    matchSince = null;
                }
            }

            await Task.Delay(s_pollInterval).ConfigureAwait(false);
        }

        using var finalRead = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var (finalDifference, missing) = await world.RegistryMismatchAsync(world.Expected(), finalRead.Token).ConfigureAwait(false);
        var message = $"{label}: NOT CONVERGED within {deadline.TotalSeconds:0} s; last difference: {lastDifference}; registry now: {finalDifference ?? "as expected"}";
        Log(message);
        if (fault is not null)
        {
            fault.Failure = (fault.Failure is null ? string.Empty : fault.Failure + "; ") + message;
            fault.LostRegistrations = missing ?? 0;
        }

        return missing ?? 0;
    }

    /// <summary>Adds up the time, while a fault is held, during which some watcher was wrong (for the report only).</summary>
    private static async Task SampleWhileHeldAsync(SoakWorld world, FaultRecord fault, CancellationToken held)
    {
        var clock = Stopwatch.StartNew();
        var last = TimeSpan.Zero;
        while (!held.IsCancellationRequested)
        {
            var now = clock.Elapsed;
            if (world.WatcherMismatch(world.Expected()) is not null)
            {
                fault.WrongDuringFault += now - last;
            }

            last = now;
            try
            {
                await Task.Delay(s_pollInterval, held).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Record(FaultRecord? fault, TimeSpan raw, DateTime settledUtc, BackendProfile profile, string label, string? difference)
    {
        // A stall of this whole process after settling is a fault of its own: measure from its end instead.
        var convergence = raw;
        var stallNote = string.Empty;
        if (_stalls?.LastBetween(settledUtc, settledUtc + raw) is { } stall)
        {
            convergence = raw - (stall.EndUtc - settledUtc);
            if (convergence < TimeSpan.Zero)
            {
                convergence = TimeSpan.Zero;
            }

            stallNote = string.Create(CultureInfo.InvariantCulture, $"; this process stalled {stall.Length.TotalSeconds:0.0} s until {stall.EndUtc:HH:mm:ss.fff}, so {raw.TotalSeconds:0.00} s from settling counts as {convergence.TotalSeconds:0.00} s from the stall's end");
            if (fault is not null)
            {
                fault.HostStall = stall.Length;
            }
        }

        if (fault is not null)
        {
            fault.RawConvergence = raw;
        }

        if (raw >= TimeSpan.FromSeconds(1) && difference is not null)
        {
            Log($"{label}: last difference before converging: {difference}");
        }

        var over = convergence > profile.Bound ? $" OVER THE BOUND of {profile.Bound.TotalSeconds:0.0} s" : string.Empty;
        Log(string.Create(CultureInfo.InvariantCulture, $"{label}: converged {convergence.TotalSeconds:0.00} s after settling{over}{stallNote}{(fault is null ? string.Empty : $" (some watcher wrong for {fault.WrongDuringFault.TotalSeconds:0.0} s of the {(fault.SettledUtc - fault.StartedUtc).TotalSeconds:0.0} s fault)")}"));
        if (fault is not null)
        {
            fault.Convergence = convergence;
        }
    }
}
