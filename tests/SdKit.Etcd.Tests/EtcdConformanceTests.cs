using SdKit.Client;
using SdKit.Etcd.Tests.TestSupport;
using SdKit.Testing.Conformance;
using SdKit.Testing.Etcd;

namespace SdKit.Etcd.Tests;

/// <summary>The shared backend conformance suite, run against a real single-member etcd.</summary>
[Collection(SingleMemberCollection.Name)]
public sealed class EtcdConformanceTests(EtcdSingleMemberFixture etcd) : DiscoveryClientConformanceTests
{
    protected override TimeSpan EventTimeout => Timeouts.Event;

    protected override async ValueTask<IDiscoveryClient> CreateClientAsync() => await Clients.ConnectAsync(etcd.Cluster, ttlSeconds: 2);

    /// <summary>Revokes the client's lease from another client (etcdctl), as an expiry would end it.</summary>
    protected override async ValueTask KillSessionAsync(IDiscoveryClient client)
    {
        var lease = ((EtcdDiscoveryClient)client).LeaseId ?? throw new InvalidOperationException("The client has no lease to kill.");
        await etcd.Cluster.Ctl.RevokeAsync(lease);
    }
}
