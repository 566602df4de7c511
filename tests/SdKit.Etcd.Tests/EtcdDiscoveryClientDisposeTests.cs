using System.Globalization;
using SdKit.Client;
using SdKit.Etcd.Tests.TestSupport;
using SdKit.Testing.Etcd;
using SdKit.Testing.Network;

namespace SdKit.Etcd.Tests;

[Collection(SingleMemberCollection.Name)]
public sealed class EtcdDiscoveryClientDisposeTests(EtcdSingleMemberFixture etcd, Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Attempts = 5;
    private readonly TestOutputLoggerFactory _logging = new(output);

    /// <summary>
    /// The client is disposed while etcd has granted its replacement lease but the answer is still on the way (held
    /// by a proxy): dispose must wait for that answer and revoke the lease, not leave it to expire with its TTL.
    /// </summary>
    [Fact]
    public async Task DisposeAsync_WhileAReplacementLeaseGrantIsInFlight_RevokesTheGrantedLease()
    {
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            if (await DisposeDuringGrantAsync())
            {
                return;
            }

            output.WriteLine($"attempt {attempt}: the grant was answered before the proxy held the reply; trying again");
        }

        Assert.Fail($"In {Attempts} attempts the lease grant was always answered before the proxy could hold its reply; the scenario was never exercised.");
    }

    /// <summary>Returns false when the scenario could not be set up (the grant's answer got through first).</summary>
    private async Task<bool> DisposeDuringGrantAsync()
    {
        await using var proxy = LoopbackProxy.Start(etcd.Cluster.Members[0].ClientPort);
        var options = new EtcdDiscoveryOptions { LeaseTtl = TimeSpan.FromSeconds(3), RequestTimeout = TimeSpan.FromSeconds(10), MaxRetryDelay = TimeSpan.FromMilliseconds(500) };
        options.Endpoints.Add("http://127.0.0.1:" + proxy.Port.ToString(CultureInfo.InvariantCulture));
        var client = await EtcdDiscoveryClient.ConnectAsync(options, _logging);
        try
        {
            var first = client.LeaseId!.Value;
            var before = await etcd.Cluster.Ctl.LeasesAsync();

            // The client grants the replacement right after reporting Lost: from then on etcd's answers are held.
            using var holdRepliesOnLost = client.StateChanges.Subscribe(state =>
            {
                if (state == ConnectionState.Lost)
                {
                    proxy.StallReplies();
                }
            });
            await etcd.Cluster.Ctl.RevokeAsync(first);
            var granted = await WaitForNewLeaseAsync(before, first);
            if (client.LeaseId is not null)
            {
                return false;
            }

            var disposing = client.DisposeAsync().AsTask();
            proxy.Resume();
            await disposing.WaitAsync(Timeouts.Event);

            var left = await etcd.Cluster.Ctl.LeasesAsync();
            Assert.False(left.Contains(granted), $"lease {granted:x}, granted while the client was being disposed, is still there: [{string.Join(", ", left.Select(l => l.ToString("x", CultureInfo.InvariantCulture)))}]");
            return true;
        }
        finally
        {
            await client.DisposeAsync();
        }
    }

    /// <summary>Waits until etcd lists a lease that is neither in <paramref name="before"/> nor <paramref name="revoked"/>.</summary>
    private async Task<long> WaitForNewLeaseAsync(IReadOnlyList<long> before, long revoked)
    {
        var deadline = DateTimeOffset.UtcNow + Timeouts.Event;
        while (true)
        {
            var leases = await etcd.Cluster.Ctl.LeasesAsync();
            var added = leases.Where(l => l != revoked && !before.Contains(l)).ToList();
            if (added.Count == 1)
            {
                return added[0];
            }

            Assert.True(added.Count == 0, $"expected one new lease, etcd lists {added.Count} new ones");
            Assert.True(DateTimeOffset.UtcNow < deadline, $"etcd granted no new lease within {Timeouts.Event.TotalSeconds} s after lease {revoked:x} was revoked");

            // etcdctl is a process per call: polling it is the only way to see what the server holds.
            await Task.Delay(50);
        }
    }
}
