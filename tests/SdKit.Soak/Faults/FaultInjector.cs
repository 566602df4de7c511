using System.Globalization;

namespace SdKit.Soak.Faults;

/// <summary>
/// Injects one fault at a time into the world, holding it for the planned time, and returns once the fault has
/// settled (member restarted and serving, signal sent, connection healed, process ready). Every step is logged.
/// </summary>
internal sealed class FaultInjector(SoakWorld world, FaultPlan plan, Action<string> log)
{
    private readonly List<Topology.InProcessRegistration> _deregistered = [];

    /// <summary>Replaces a kind that has no target right now by one that does, deterministically.</summary>
    public FaultKind Applicable(FaultKind kind) => kind switch
    {
        FaultKind.Reregister when _deregistered.Count == 0 => FaultKind.Deregister,
        FaultKind.Deregister when _deregistered.Count >= 6 => FaultKind.Reregister,
        FaultKind.ClientCutShort or FaultKind.ClientCutLong or FaultKind.ClientPartition when !world.Clients.Any(c => c.IsProxied) => FaultKind.MemberKill,
        FaultKind.RegistrantKill or FaultKind.RegistrantRestart when world.Registrants.Count == 0 => FaultKind.MemberPauseShort,
        _ => kind,
    };

    public async Task InjectAsync(FaultRecord fault)
    {
        fault.StartedUtc = DateTime.UtcNow;
        switch (fault.Kind)
        {
            case FaultKind.MemberKill:
                await KillAndRestartAsync(fault, world.Cluster.Members[plan.Pick(world.Cluster.Members.Count)]).ConfigureAwait(false);
                break;
            case FaultKind.LeaderKill:
                var leader = await world.Cluster.LeaderAsync().ConfigureAwait(false);
                if (leader is null)
                {
                    log("no member answered as leader; killing a random member instead");
                }

                await KillAndRestartAsync(fault, leader ?? world.Cluster.Members[plan.Pick(world.Cluster.Members.Count)]).ConfigureAwait(false);
                break;
            case FaultKind.MemberPauseShort or FaultKind.MemberPauseLong:
                var member = world.Cluster.Members[plan.Pick(world.Cluster.Members.Count)];
                fault.Hold = fault.Kind == FaultKind.MemberPauseShort ? plan.ShortHold() : plan.LongHold();
                fault.Target = member.Name;
                Log(fault, $"SIGSTOP {member.Name} for {Seconds(fault.Hold)}");
                member.Pause();
                await Task.Delay(fault.Hold).ConfigureAwait(false);
                member.Resume();
                Log(fault, $"SIGCONT {member.Name}");
                break;
            case FaultKind.ClientCutShort or FaultKind.ClientCutLong or FaultKind.ClientPartition:
                await CutAsync(fault).ConfigureAwait(false);
                break;
            case FaultKind.Deregister:
                await DeregisterAsync(fault).ConfigureAwait(false);
                break;
            case FaultKind.Reregister:
                fault.Target = string.Join(',', _deregistered.Select(r => r.Entry.Instance));
                Log(fault, $"registering again {fault.Target}");
                foreach (var registration in _deregistered)
                {
                    registration.Wanted = true;
                    await registration.Registrar.RegisterAsync().ConfigureAwait(false);
                }

                _deregistered.Clear();
                break;
            case FaultKind.RegistrantRestart or FaultKind.RegistrantKill:
                var registrant = world.Registrants[plan.Pick(world.Registrants.Count)];
                fault.Target = $"{registrant.Name} (pid {registrant.ProcessId})";
                if (fault.Kind == FaultKind.RegistrantKill)
                {
                    Log(fault, $"SIGKILL {fault.Target}");
                    await registrant.KillAsync().ConfigureAwait(false);
                }
                else
                {
                    Log(fault, $"graceful stop of {fault.Target}");
                    await registrant.StopAsync().ConfigureAwait(false);
                }

                await registrant.StartAsync().ConfigureAwait(false);
                Log(fault, $"{registrant.Name} started again as pid {registrant.ProcessId} and registered");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault.Kind, "Unknown fault kind.");
        }

        fault.SettledUtc = DateTime.UtcNow;
        Log(fault, "settled");
    }

    private async Task KillAndRestartAsync(FaultRecord fault, Backends.ISoakMember member)
    {
        fault.Target = member.Name;
        fault.Hold = plan.DownTime();
        Log(fault, $"kill -9 {member.Name}, down for {Seconds(fault.Hold)}");
        await member.KillAsync().ConfigureAwait(false);
        await Task.Delay(fault.Hold).ConfigureAwait(false);
        await member.RestartAsync().ConfigureAwait(false);
        Log(fault, $"{member.Name} restarted and serving");
    }

    private async Task CutAsync(FaultRecord fault)
    {
        var proxied = world.Clients.Where(c => c.IsProxied).ToList();
        var client = proxied[plan.Pick(proxied.Count)];
        fault.Target = client.Name;
        fault.Hold = fault.Kind == FaultKind.ClientCutShort ? plan.ShortHold() : plan.LongHold();
        var how = fault.Kind == FaultKind.ClientPartition ? "blackhole" : "reset and refuse";
        Log(fault, $"{how} the connections of {client.Name} for {Seconds(fault.Hold)}");
        foreach (var proxy in client.Proxies)
        {
            if (fault.Kind == FaultKind.ClientPartition)
            {
                proxy.Blackhole();
            }
            else
            {
                proxy.Reset();
            }
        }

        await Task.Delay(fault.Hold).ConfigureAwait(false);
        foreach (var proxy in client.Proxies)
        {
            proxy.Heal();
        }

        Log(fault, $"{client.Name} connections healed");
    }

    private async Task DeregisterAsync(FaultRecord fault)
    {
        var candidates = world.Registrations.Where(r => r.Wanted).ToList();
        var count = 1 + plan.Pick(3);
        var chosen = new List<Topology.InProcessRegistration>();
        for (var i = 0; i < count && candidates.Count > 0; i++)
        {
            var pick = candidates[plan.Pick(candidates.Count)];
            candidates.Remove(pick);
            chosen.Add(pick);
        }

        fault.Target = string.Join(',', chosen.Select(r => r.Entry.Instance));
        Log(fault, $"deregistering {fault.Target}");
        foreach (var registration in chosen)
        {
            registration.Wanted = false;
            await registration.Registrar.DeregisterAsync().ConfigureAwait(false);
            _deregistered.Add(registration);
        }
    }

    private void Log(FaultRecord fault, string message) => log($"fault #{fault.Number} {fault.Kind}: {message}");

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
}
