using System.Globalization;
using SdKit.Testing.Etcd;

namespace SdKit.Soak.Backends;

/// <summary>The etcd fixture cluster (heartbeat 50 ms, election timeout 500 ms) behind <see cref="ISoakCluster"/>.</summary>
internal sealed class EtcdSoakCluster : ISoakCluster
{
    private readonly EtcdCluster _cluster;

    private EtcdSoakCluster(EtcdCluster cluster)
    {
        _cluster = cluster;
        Members = [.. cluster.Members.Select(m => new Member(cluster, m))];
    }

    public IReadOnlyList<ISoakMember> Members { get; }

    public static async Task<EtcdSoakCluster> StartAsync() => new(await EtcdCluster.StartAsync(3).ConfigureAwait(false));

    public async Task<ISoakMember?> LeaderAsync()
    {
        var leader = await _cluster.LeaderAsync().ConfigureAwait(false);
        return Members.Cast<Member>().FirstOrDefault(m => ReferenceEquals(m.Inner, leader));
    }

    public ValueTask DisposeAsync() => _cluster.DisposeAsync();

    private sealed class Member(EtcdCluster cluster, EtcdMember inner) : ISoakMember
    {
        public EtcdMember Inner => inner;

        public string Name => inner.Name;

        public string ClientAddress => "127.0.0.1:" + inner.ClientPort.ToString(CultureInfo.InvariantCulture);

        public bool IsRunning => inner.IsRunning;

        public Task KillAsync() => inner.KillAsync();

        public Task RestartAsync() => cluster.RestartAsync(inner);

        public void Pause() => inner.Pause();

        public void Resume() => inner.Resume();
    }
}
