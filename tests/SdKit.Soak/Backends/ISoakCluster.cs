namespace SdKit.Soak.Backends;

/// <summary>A three-member registry cluster on loopback that the soak can break and mend.</summary>
internal interface ISoakCluster : IAsyncDisposable
{
    /// <summary>Gets the members.</summary>
    IReadOnlyList<ISoakMember> Members { get; }

    /// <summary>Gets the member currently leading, or <see langword="null"/> if none answers as leader.</summary>
    Task<ISoakMember?> LeaderAsync();
}

/// <summary>One member process: kill -9, restart on the same ports and data, SIGSTOP, SIGCONT.</summary>
internal interface ISoakMember
{
    string Name { get; }

    /// <summary>Gets the client address, <c>127.0.0.1:port</c>.</summary>
    string ClientAddress { get; }

    bool IsRunning { get; }

    Task KillAsync();

    /// <summary>Starts a killed member again and waits until it serves.</summary>
    Task RestartAsync();

    void Pause();

    void Resume();
}
