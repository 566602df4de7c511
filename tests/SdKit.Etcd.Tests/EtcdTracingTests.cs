using System.Diagnostics;
using System.Globalization;
using SdKit.Client;
using SdKit.Diagnostics;
using SdKit.Etcd.Tests.TestSupport;
using SdKit.Registration;
using SdKit.Testing.Diagnostics;
using SdKit.Testing.Etcd;

namespace SdKit.Etcd.Tests;

/// <summary>
/// The spans a revoked lease leaves on a real etcd, collected by an <see cref="ActivityListener"/>: the backend's lost
/// lease (until etcd granted a new one) and the core's lost registration with its recovery write.
/// </summary>
[Collection(SingleMemberCollection.Name)]
public sealed class EtcdTracingTests(EtcdSingleMemberFixture etcd) : IDisposable
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(20);
    private readonly SpanRecorder _spans = new(LeaseSpans.SourceName, SdKitDiagnostics.ActivitySourceName);

    public void Dispose() => _spans.Dispose();

    [Fact]
    public async Task LeaseRevoked_SpansForTheLostLeaseAndTheRecoveredRegistration()
    {
        await using var client = await Clients.ConnectAsync(etcd.Cluster, ttlSeconds: 2);
        var path = Clients.NewServicePath();
        var options = new RegistrarOptions { Backoff = new BackoffOptions { InitialDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromSeconds(1) } };
        await using var registrar = new Registrar(client, new ServiceEntry(path, "traced:1"), options);
        await registrar.RegisterAsync();
        var oldLease = client.LeaseId!.Value;

        await etcd.Cluster.Ctl.RevokeAsync(oldLease);

        var lost = await _spans.WaitForAsync(LeaseSpans.LostSpanName, s => s.Has(LeaseSpans.LeaseAttribute, Hex(oldLease)), s_wait);
        var registrationLost = await _spans.WaitForAsync(SdKitSpanNames.RegistrationLost, s => s.Has(SdKitSpanAttributes.ServicePath, path), s_wait);

        Assert.Equal("granted", lost.Tag(LeaseSpans.OutcomeAttribute));
        Assert.Equal(Hex(client.LeaseId!.Value), lost.Tag(LeaseSpans.NewLeaseAttribute));
        Assert.NotEqual(Hex(oldLease), lost.Tag(LeaseSpans.NewLeaseAttribute));
        Assert.Equal("not_found", lost.Tag(LeaseSpans.ReasonAttribute));
        Assert.Null(lost.ParentId);
        Assert.Equal("registered", registrationLost.Tag(SdKitSpanAttributes.Outcome));
        Assert.Equal(registrar.Registration!.Key, registrationLost.Tag(SdKitSpanAttributes.RegistrationKey));
        var recovery = Assert.Single(_spans.Find(SdKitSpanNames.Register, s => s.ParentSpanId == registrationLost.SpanId && s.Status != ActivityStatusCode.Error));
        Assert.Equal("recovery", recovery.Tag(SdKitSpanAttributes.RegistrationReason));
    }

    private static string Hex(long lease) => lease.ToString("x", CultureInfo.InvariantCulture);
}
