namespace SdKit.Testing.ZooKeeper;

/// <summary>Waits for a member's <c>srvr</c> mode, for faults that must reach a given server state first.</summary>
public static class ZooKeeperServerModes
{
    /// <summary>The <c>srvr</c> mode of a member that lost its quorum and serves reads (<c>readonlymode.enabled</c>).</summary>
    public const string ReadOnly = "read-only";

    /// <summary>Waits until <paramref name="server"/> reports <paramref name="mode"/>; fails with the log tail otherwise.</summary>
    public static async Task WaitForModeAsync(this ZooKeeperServer server, string mode, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(server);
        var deadline = DateTimeOffset.UtcNow + timeout;
        string? last = null;
        while (DateTimeOffset.UtcNow < deadline)
        {
            last = await server.ModeAsync().ConfigureAwait(false);
            if (last == mode)
            {
                return;
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        throw server.Failure($"did not report mode '{mode}' within {timeout.TotalSeconds:0} s (last: '{last ?? "no answer"}')");
    }
}
