namespace SdKit.Testing.ZooKeeper;

/// <summary>Finds the leader of a test ensemble, for faults that must hit the leader.</summary>
public static class ZooKeeperEnsembleLeader
{
    /// <summary>Returns the running member whose <c>srvr</c> mode is <c>leader</c>, or <see langword="null"/> if none answers so.</summary>
    public static async Task<ZooKeeperServer?> LeaderAsync(this ZooKeeperEnsemble ensemble)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        foreach (var server in ensemble.Servers.Where(s => s.IsRunning))
        {
            if (await server.ModeAsync().ConfigureAwait(false) == "leader")
            {
                return server;
            }
        }

        return null;
    }

    /// <summary>Starts a killed member again on the same port and data, and waits until it serves.</summary>
    public static async Task RestartAsync(this ZooKeeperServer server, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(server);
        await server.StartAsync().ConfigureAwait(false);
        await server.WaitUntilServingAsync(timeout).ConfigureAwait(false);
    }
}
