using System.CommandLine;
using SdKit.Cli.Backends;
using SdKit.Cli.TimeService;

namespace SdKit.Cli.Commands;

/// <summary>
/// <c>sdkit call</c>: the seed's client: discover the servers under the path, pick one with the balancer, dial it,
/// send <c>timestamp</c> and print the reply; <c>--count</c> times, <c>--interval</c> apart.
/// </summary>
internal static class CallCommand
{
    public static Command Create(BackendOptions backendOptions, TextWriter output, TextWriter error)
    {
        var balancer = BalancerOption.Create(BalancerKind.Random);
        var count = new Option<int>("--count") { Description = "number of calls", DefaultValueFactory = _ => 1 };
        count.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
            {
                r.AddError("--count must be at least 1");
            }
        });
        var interval = new Option<TimeSpan>("--interval") { Description = "pause between calls", DefaultValueFactory = _ => TimeSpan.FromSeconds(1), CustomParser = Durations.Parse };
        var command = new Command("call", "Discover the time servers under --path and call them through a balancer.") { balancer, count, interval };
        command.SetGuardedAction(error, async (result, cancellationToken) =>
        {
            var backend = new Backend(backendOptions.Read(result));
            await using var client = await backend.ConnectAsync(RegistrationLayout.Protected, cancellationToken).ConfigureAwait(false);
            await using var caller = new TimeCaller(client, backend.Settings.Path, result.GetValue(balancer), backend.Settings.Timeout);
            await caller.WaitForAsync(e => !e.Instances.IsEmpty, backend.Settings.Timeout, "no instance appeared", cancellationToken).ConfigureAwait(false);
            var failures = 0;
            var calls = result.GetValue(count);
            for (var call = 1; call <= calls; call++)
            {
                try
                {
                    await output.WriteLineAsync(await caller.CallAsync(cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
                    await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    failures++;
                    await error.WriteLineAsync($"sdkit: error: call {call} failed: {CommandRunner.Describe(ex)}").ConfigureAwait(false);
                }

                if (call < calls)
                {
                    await Task.Delay(result.GetValue(interval), cancellationToken).ConfigureAwait(false);
                }
            }

            return failures == 0 ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }
}
