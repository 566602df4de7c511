using SdKit.Testing.Processes;

namespace SdKit.Testing.ZooKeeper;

/// <summary>
/// Takes the quorum away from a three-member read-only-enabled ensemble (kills members 2 and 3, waits until member 1
/// serves read-only) and gives it back (restarts them, waits for a leader). Disposing restores the quorum. Clients
/// that must see one clean sequence of states connect to <see cref="Survivor"/> only: a client on a victim could
/// otherwise land on the survivor while it is still a follower.
/// </summary>
public sealed class QuorumLoss(ZooKeeperEnsemble ensemble) : IAsyncDisposable
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    /// <summary>What a read-only 3.8 server logs when it closes a resumed global session.</summary>
    public const string GlobalSessionRefused = "Refusing global session reconnection in RO mode";

    /// <summary>What a read-only 3.8 server logs when it closes a client that did not set readOnly.</summary>
    public const string NotReadOnlyClientRefused = "Refusing session request for not-read-only client";

    /// <summary>What a 3.8 member logs once it serves read-only (its <c>srvr</c> mode is <c>read-only</c> from then on).</summary>
    public const string ReadOnlyStarted = "Read-only server started";

    // Counted from here on, as the survivor writes them: what it logged before this loss does not count.
    private readonly Dictionary<string, LineCount> _counts = new[] { GlobalSessionRefused, NotReadOnlyClientRefused, ReadOnlyStarted }
        .ToDictionary(line => line, line => ensemble.Servers[0].Process.CountLines(line), StringComparer.Ordinal);

    public ZooKeeperServer Survivor => ensemble.Servers[0];

    public async Task LoseAsync()
    {
        var readOnlyStarts = _counts[ReadOnlyStarted].Count;
        // Both victims stop at once: killed one after the other, the second could briefly form a quorum with the
        // survivor again, and clients would see an extra connection in between.
        foreach (var victim in ensemble.Servers.Skip(1))
        {
            victim.Process.Pause();
        }

        foreach (var victim in ensemble.Servers.Skip(1))
        {
            await victim.KillAsync();
        }

        await WaitForLogAsync(ReadOnlyStarted, readOnlyStarts + 1);
    }

    public async Task RestoreAsync()
    {
        foreach (var victim in ensemble.Servers.Skip(1))
        {
            await victim.StartAsync();
        }

        await ensemble.WaitForQuorumAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>Waits until the survivor has logged (since this loss began) <paramref name="line"/> at least <paramref name="count"/> times; returns the count.</summary>
    public async Task<int> WaitForLogAsync(string line, int count)
    {
        var counted = _counts[line];
        try
        {
            return await counted.WaitForAsync(count, Wait);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The survivor logged '{line}' {counted.Count} times, not {count}, within {Wait.TotalSeconds:0} s:\n{Survivor.Process.Tail(30)}");
        }
    }

    public async ValueTask DisposeAsync() => await RestoreAsync();
}
