using SdKit.Client;
using SdKit.Etcd.Tests.TestSupport;
using SdKit.Testing.Etcd;

namespace SdKit.Etcd.Tests;

/// <summary>Kills and restarts members of a three-member cluster while registrations and watches go on.</summary>
public sealed class EtcdDiscoveryClientClusterTests(EtcdThreeMemberFixture etcd) : IClassFixture<EtcdThreeMemberFixture>
{
    [Fact]
    public async Task Watch_EachMemberKilledAndRestartedInTurn_RegistrationsAndWatchesContinue()
    {
        await using var registering = await Clients.ConnectAsync(etcd.Cluster);
        await using var watching = await Clients.ConnectAsync(etcd.Cluster);
        using var states = new StateRecorder(registering);
        var path = Clients.NewServicePath();
        await using var watch = new WatchRecorder(watching, path);
        var expected = new List<string> { "before:1" };
        await registering.RegisterAsync(new ServiceEntry(path, "before:1"));
        await watch.WaitForAsync([.. expected]);

        foreach (var member in etcd.Cluster.Members)
        {
            await member.KillAsync();
            var down = $"{member.Name}-down:1";
            await RegisterWithRetryAsync(registering, new ServiceEntry(path, down));
            expected.Add(down);
            await watch.WaitForAsync([.. expected]);

            await etcd.Cluster.RestartAsync(member);
            var up = $"{member.Name}-up:1";
            await RegisterWithRetryAsync(registering, new ServiceEntry(path, up));
            expected.Add(up);
            await watch.WaitForAsync([.. expected]);
        }

        Assert.DoesNotContain(ConnectionState.Lost, states.States);
        Assert.Null(watch.Error);
    }

    /// <summary>A request that was in flight on the killed member may fail once; an application (or the registrar) tries again.</summary>
    private static async Task RegisterWithRetryAsync(EtcdDiscoveryClient client, ServiceEntry entry)
    {
        try
        {
            await client.RegisterAsync(entry);
        }
        catch (EtcdException ex) when (ex.IsTransient)
        {
            await client.RegisterAsync(entry);
        }
    }
}
