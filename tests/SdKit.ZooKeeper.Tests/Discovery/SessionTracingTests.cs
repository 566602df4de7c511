using System.Diagnostics;
using SdKit.Client;
using SdKit.Diagnostics;
using SdKit.Instances;
using SdKit.Registration;
using SdKit.Testing.Conformance;
using SdKit.Testing.Diagnostics;
using SdKit.Testing.Network;
using SdKit.Testing.ZooKeeper;
using SdKit.ZooKeeper.Discovery;
using SdKit.ZooKeeper.Tests.Discovery.Support;

namespace SdKit.ZooKeeper.Tests.Discovery;

/// <summary>
/// The spans a session expiry leaves on a real ZooKeeper server, collected by an <see cref="ActivityListener"/>: the
/// discovery client's (suspended, then lost until a new session) and the core's (the registration out of the registry,
/// the recovery write, the watcher's updates). The registering client sits behind a <see cref="LoopbackProxy"/>.
/// </summary>
[Collection(StandaloneCollection.Name)]
public sealed class SessionTracingTests(ZooKeeperServerFixture fixture) : IAsyncLifetime
{
    private readonly SpanRecorder _spans = new(SessionSpans.SourceName, SdKitDiagnostics.ActivitySourceName);
    private LoopbackProxy _proxy = null!;
    private ZooKeeperDiscoveryClient _watcher = null!;

    public async Task InitializeAsync()
    {
        _proxy = LoopbackProxy.Start(fixture.Server.Port);
        _watcher = await DiscoveryClients.ConnectAsync(fixture.ConnectString);
    }

    public async Task DisposeAsync()
    {
        await _watcher.DisposeAsync();
        await _proxy.DisposeAsync();
        _spans.Dispose();
    }

    [Fact]
    public async Task SessionExpires_SpansForTheOutageTheNewSessionAndTheRecoveredRegistration()
    {
        var path = DiscoveryClients.NewServicePath();
        await using var client = await DiscoveryClients.ConnectAsync(_proxy.Endpoint, sessionTimeout: TimeSpan.FromSeconds(1));
        var options = new RegistrarOptions { Backoff = new BackoffOptions { InitialDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromSeconds(1) } };
        await using var registrar = new Registrar(client, new ServiceEntry(path, "traced:1"), options);
        await using var instancer = new Instancer(_watcher, path);
        var events = new ObservationRecorder<InstanceEvent>();
        using var subscription = instancer.Subscribe(events);
        await registrar.RegisterAsync();
        await events.WaitForAsync(e => e.Instances.Length == 1, DiscoveryClients.Wait);
        var oldSession = Hex(client.ZooKeeper.SessionId);

        var mark = events.Values.Count;

        _proxy.Stall();
        _proxy.CutAll();
        await events.WaitForNextAsync(mark, e => e.Instances.IsEmpty && e.Error is null, DiscoveryClients.Wait);
        mark = events.Values.Count;
        _proxy.Resume();
        var lost = await _spans.WaitForAsync(SessionSpans.LostSpanName, s => s.Has(SessionSpans.SessionIdAttribute, oldSession), DiscoveryClients.Wait);
        var registrationLost = await _spans.WaitForAsync(SdKitSpanNames.RegistrationLost, s => s.Has(SdKitSpanAttributes.ServicePath, path), DiscoveryClients.Wait);
        await events.WaitForNextAsync(mark, e => e.Instances.Length == 1, DiscoveryClients.Wait);
        var newSession = Hex(client.ZooKeeper.SessionId);

        var suspended = Assert.Single(_spans.Find(SessionSpans.SuspendedSpanName, s => s.Has(SessionSpans.SessionIdAttribute, oldSession)));
        Assert.Equal("lost", suspended.Tag(SessionSpans.OutcomeAttribute));
        Assert.Equal(ActivityStatusCode.Error, suspended.Status);
        Assert.Equal("new_session", lost.Tag(SessionSpans.OutcomeAttribute));
        Assert.Equal(newSession, lost.Tag(SessionSpans.NewSessionIdAttribute));
        Assert.NotEqual(oldSession, newSession);
        Assert.True(suspended.StartTimeUtc <= lost.StartTimeUtc);
        Assert.Null(lost.ParentId);

        Assert.Equal("registered", registrationLost.Tag(SdKitSpanAttributes.Outcome));
        Assert.Equal(registrar.Registration!.Key, registrationLost.Tag(SdKitSpanAttributes.RegistrationKey));
        var recovery = Assert.Single(_spans.Find(SdKitSpanNames.Register, s => s.ParentSpanId == registrationLost.SpanId && s.Status != ActivityStatusCode.Error));
        Assert.Equal("recovery", recovery.Tag(SdKitSpanAttributes.RegistrationReason));
        Assert.Equal("traced:1", recovery.Tag(SdKitSpanAttributes.Instance));

        var updates = _spans.Find(SdKitSpanNames.InstancerUpdate, s => s.Has(SdKitSpanAttributes.ServicePath, path));
        Assert.Contains(updates, u => ((string[])u.GetTagItem(SdKitSpanAttributes.InstancesLeft)!).SequenceEqual(["traced:1"]));
        Assert.Equal(2, updates.Count(u => ((string[])u.GetTagItem(SdKitSpanAttributes.InstancesJoined)!).SequenceEqual(["traced:1"])));
    }

    private static string Hex(long session) => "0x" + session.ToString("x", System.Globalization.CultureInfo.InvariantCulture);
}
