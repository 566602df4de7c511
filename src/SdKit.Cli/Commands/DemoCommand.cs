using System.CommandLine;
using System.Net;
using SdKit.Cli.Backends;
using SdKit.Cli.TimeService;

namespace SdKit.Cli.Commands;

/// <summary>
/// <c>sdkit demo</c>: the whole seed scenario in one process. Servers register, the client calls them round robin,
/// one server stops and the client stops choosing it. In-memory by default, or on <c>--zk</c> / <c>--etcd</c>.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(BackendOptions backendOptions, TextWriter output, TextWriter error)
    {
        var servers = new Option<int>("--servers") { Description = "number of time servers", DefaultValueFactory = _ => 3 };
        servers.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 2 or > 20)
            {
                r.AddError("--servers must be between 2 and 20");
            }
        });
        var calls = new Option<int>("--calls") { Description = "calls before and after the stop", DefaultValueFactory = _ => 6 };
        calls.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 1000)
            {
                r.AddError("--calls must be between 1 and 1000");
            }
        });
        var command = new Command("demo", "Run the seed scenario: servers register, a round-robin client calls them, one stops and is no longer chosen.") { servers, calls };
        command.SetGuardedAction(error, async (result, cancellationToken) =>
        {
            var backend = new Backend(backendOptions.Read(result));
            var scenario = new DemoScenario(backend, output, result.GetValue(servers), result.GetValue(calls));
            return await scenario.RunAsync(cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}

/// <summary>The demo's steps, printed as they happen.</summary>
internal sealed class DemoScenario(Backend backend, TextWriter output, int serverCount, int callsPerPhase)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var path = backend.Settings.Path;
        await SayAsync($"demo on {backend.Settings.Description}, service path {path}").ConfigureAwait(false);
        var servers = new List<RegisteredTimeServer>();
        try
        {
            for (var i = 0; i < serverCount; i++)
            {
                var server = await RegisteredTimeServer.StartAsync(backend, new IPEndPoint(IPAddress.Loopback, 0), RegistrationLayout.Named, cancellationToken).ConfigureAwait(false);
                servers.Add(server);
                await SayAsync($"server {server.Address} registered").ConfigureAwait(false);
            }

            await using var client = await backend.ConnectAsync(RegistrationLayout.Named, cancellationToken).ConfigureAwait(false);
            await using var caller = new TimeCaller(client, path, BalancerKind.RoundRobin, backend.Settings.Timeout);
            var all = servers.Select(s => s.Address).ToHashSet(StringComparer.Ordinal);
            var seen = await caller.WaitForAsync(e => all.IsSubsetOf(e.Instances), backend.Settings.Timeout, "the servers did not all appear", cancellationToken).ConfigureAwait(false);
            await SayAsync($"client sees {seen.Instances.Length} instances: {string.Join(' ', seen.Instances)}").ConfigureAwait(false);
            var before = await CallPhaseAsync(caller, 1, cancellationToken).ConfigureAwait(false);

            var stopped = servers[serverCount / 2];
            await stopped.DeregisterAsync().ConfigureAwait(false);
            await stopped.DisposeAsync().ConfigureAwait(false);
            servers.Remove(stopped);
            await SayAsync($"server {stopped.Address} stopped").ConfigureAwait(false);
            seen = await caller.WaitForAsync(e => !e.Instances.Contains(stopped.Address), backend.Settings.Timeout, "the stopped server did not disappear", cancellationToken).ConfigureAwait(false);
            await SayAsync($"client sees {seen.Instances.Length} instances: {string.Join(' ', seen.Instances)}").ConfigureAwait(false);
            var after = await CallPhaseAsync(caller, callsPerPhase + 1, cancellationToken).ConfigureAwait(false);

            return await VerdictAsync(all, before, after, stopped.Address).ConfigureAwait(false);
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DeregisterAsync().ConfigureAwait(false);
                await server.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task<List<string>> CallPhaseAsync(TimeCaller caller, int firstCall, CancellationToken cancellationToken)
    {
        var answeredBy = new List<string>();
        for (var call = firstCall; call < firstCall + callsPerPhase; call++)
        {
            var reply = await caller.CallAsync(cancellationToken).ConfigureAwait(false);
            answeredBy.Add(reply.Split(": ", 2)[0]);
            await SayAsync($"call {call}: {reply}").ConfigureAwait(false);
        }

        return answeredBy;
    }

    private async Task<int> VerdictAsync(HashSet<string> all, List<string> before, List<string> after, string stopped)
    {
        var remaining = all.Where(a => a != stopped).ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();
        if (after.Contains(stopped))
        {
            problems.Add($"the stopped server {stopped} was still chosen");
        }

        if (callsPerPhase >= all.Count && !all.SetEquals(before))
        {
            problems.Add($"before the stop, round robin reached {before.Distinct().Count()} of {all.Count} servers");
        }

        if (callsPerPhase >= remaining.Count && !remaining.SetEquals(after))
        {
            problems.Add($"after the stop, round robin reached {after.Distinct().Count()} of {remaining.Count} remaining servers");
        }

        if (problems.Count > 0)
        {
            await SayAsync($"demo failed: {string.Join("; ", problems)}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        await SayAsync($"demo ok: {before.Count} calls spread over {all.Count} servers; after {stopped} stopped, {after.Count} calls went only to the {remaining.Count} others").ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private async Task SayAsync(string line)
    {
        await output.WriteLineAsync(line).ConfigureAwait(false);
        await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
    }
}
