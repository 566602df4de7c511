namespace SdKit.Soak.Faults;

/// <summary>The faults the soak injects. Names are what the summary and the plot show.</summary>
internal enum FaultKind
{
    /// <summary>kill -9 a random member, restart it on the same ports and data after a short outage.</summary>
    MemberKill,

    /// <summary>kill -9 the current leader, restart it after a short outage.</summary>
    LeaderKill,

    /// <summary>SIGSTOP a member for less than the session timeout or TTL, then SIGCONT.</summary>
    MemberPauseShort,

    /// <summary>SIGSTOP a member for longer than the session timeout or TTL, then SIGCONT.</summary>
    MemberPauseLong,

    /// <summary>Reset and refuse one proxied client's connections for less than the session timeout or TTL.</summary>
    ClientCutShort,

    /// <summary>Reset and refuse one proxied client's connections for longer than the session timeout or TTL.</summary>
    ClientCutLong,

    /// <summary>Blackhole one proxied client's connections (nothing passes, nothing closes) for longer than the timeout.</summary>
    ClientPartition,

    /// <summary>Deregister a few in-process registrars.</summary>
    Deregister,

    /// <summary>Register every deliberately deregistered registrar again.</summary>
    Reregister,

    /// <summary>Stop a registrant process gracefully (it deregisters) and start it again.</summary>
    RegistrantRestart,

    /// <summary>kill -9 a registrant process (nothing deregistered) and start it again.</summary>
    RegistrantKill,
}
