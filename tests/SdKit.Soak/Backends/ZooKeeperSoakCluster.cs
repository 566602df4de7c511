using System.Globalization;
using SdKit.Testing.ZooKeeper;

namespace SdKit.Soak.Backends;

/// <summary>The ZooKeeper fixture ensemble (tickTime 200 ms) behind <see cref="ISoakCluster"/>.</summary>
internal sealed class ZooKeeperSoakCluster : ISoakCluster
{
    private static readonly TimeSpan s_restartTimeout = TimeSpan.FromSeconds(60);
    private readonly ZooKeeperEnsemble _ensemble;

    private ZooKeeperSoakCluster(ZooKeeperEnsemble ensemble)
    {
        _ensemble = ensemble;
        Members = [.. ensemble.Servers.Select(s => new Member(s))];
    }

    public IReadOnlyList<ISoakMember> Members { get; }

    public static async Task<ZooKeeperSoakCluster> StartAsync() => new(await ZooKeeperEnsemble.StartAsync(3).ConfigureAwait(false));

    public async Task<ISoakMember?> LeaderAsync()
    {
        var leader = await _ensemble.LeaderAsync().ConfigureAwait(false);
        return Members.Cast<Member>().FirstOrDefault(m => ReferenceEquals(m.Inner, leader));
    }

    public ValueTask DisposeAsync() => _ensemble.DisposeAsync();

    private sealed class Member(ZooKeeperServer inner) : ISoakMember
    {
        public ZooKeeperServer Inner => inner;

        public string Name => "zk" + inner.MyId.ToString(CultureInfo.InvariantCulture);

        public string ClientAddress => inner.ConnectString;

        public bool IsRunning => inner.IsRunning;

        public Task KillAsync() => inner.KillAsync();

        public Task RestartAsync() => inner.RestartAsync(s_restartTimeout);

        public void Pause() => inner.Process.Pause();

        public void Resume() => inner.Process.Resume();
    }
}
