using System.Text.Json;

namespace SdKit.Testing.Etcd;

/// <summary>Finds the raft leader of a test cluster, for faults that must hit the leader.</summary>
public static class EtcdClusterLeader
{
    /// <summary>
    /// Returns the running member that reports itself as leader (its member id equals the leader id in
    /// <c>etcdctl endpoint status</c>), or <see langword="null"/> when no running member answers as leader.
    /// </summary>
    /// <remarks>Only members that are running are asked; a paused member would make etcdctl wait for its timeout.</remarks>
    public static async Task<EtcdMember?> LeaderAsync(this EtcdCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        foreach (var member in cluster.Members.Where(m => m.IsRunning))
        {
            string json;
            try
            {
                json = await cluster.Ctl.RunOnAsync(member.ClientUrl, "endpoint", "status", "--write-out=json").ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                continue;
            }

            using var document = JsonDocument.Parse(json);
            foreach (var endpoint in document.RootElement.EnumerateArray())
            {
                var status = endpoint.GetProperty("Status");
                var memberId = status.GetProperty("header").GetProperty("member_id").GetUInt64();
                var leaderId = status.GetProperty("leader").GetUInt64();
                if (memberId == leaderId)
                {
                    return member;
                }
            }
        }

        return null;
    }
}
