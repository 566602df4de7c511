using System.Diagnostics;
using SdKit.Client;
using SdKit.Diagnostics;
using SdKit.Endpoints;
using SdKit.InMemory;
using SdKit.Instances;
using SdKit.LoadBalancing;
using SdKit.Registration;
using SdKit.Testing.Conformance;
using SdKit.Testing.Diagnostics;

namespace SdKit.Tests.Diagnostics;

/// <summary>
/// The core's spans, collected by a real <see cref="ActivityListener"/> on the <c>SdKit</c> source while a registrar,
/// an instancer and a retry run over the in-memory backend. Every test uses its own service path: the listener sees the
/// spans of tests running beside it.
/// </summary>
public sealed class TracingTests : IDisposable
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);
    private static readonly RegistrarOptions s_quickBackoff = new() { Backoff = new BackoffOptions { InitialDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(50) } };
    private readonly SpanRecorder _spans = new(SdKitDiagnostics.ActivitySourceName);
    private readonly string _path = $"/tracing-{Guid.NewGuid():N}/svc";

    public void Dispose() => _spans.Dispose();

    [Fact]
    public async Task Registrar_RegisterLoseSessionDeregister_SpansForEachWithTheEntry()
    {
        var registry = new InMemoryRegistry();
        await using var client = registry.CreateClient();
        await using var registrar = new Registrar(client, new ServiceEntry(_path, "a:1"), s_quickBackoff);
        var states = new ObservationRecorder<RegistrationState>();
        using var subscription = registrar.StateChanges.Subscribe(states);

        await registrar.RegisterAsync();
        var firstKey = registrar.Registration!.Key;
        client.LoseSession();
        await states.WaitForAsync(s => s == RegistrationState.Lost, s_wait);
        client.Resume();
        var lost = await _spans.WaitForAsync(SdKitSpanNames.RegistrationLost, Mine, s_wait);
        var secondKey = registrar.Registration!.Key;
        await registrar.DeregisterAsync();

        var registers = _spans.Find(SdKitSpanNames.Register, Mine);
        var start = Assert.Single(registers, s => s.Has(SdKitSpanAttributes.RegistrationReason, "start"));
        Assert.Equal("a:1", start.Tag(SdKitSpanAttributes.Instance));
        Assert.Equal(firstKey, start.Tag(SdKitSpanAttributes.RegistrationKey));
        Assert.Equal("1", start.Tag(SdKitSpanAttributes.Attempt));
        Assert.Equal(ActivityStatusCode.Unset, start.Status);

        // The recovery is a trace of its own: the loss, with the write that ended it as a child.
        var recovery = Assert.Single(registers, s => s.Has(SdKitSpanAttributes.RegistrationReason, "recovery"));
        Assert.Null(lost.ParentId);
        Assert.Equal(lost.SpanId, recovery.ParentSpanId);
        Assert.Equal(secondKey, recovery.Tag(SdKitSpanAttributes.RegistrationKey));
        Assert.Equal("registered", lost.Tag(SdKitSpanAttributes.Outcome));
        Assert.Equal(secondKey, lost.Tag(SdKitSpanAttributes.RegistrationKey));
        Assert.Equal("session_or_lease_lost", lost.Tag(SdKitSpanAttributes.RegistrationLostCause));

        var deregister = Assert.Single(_spans.Find(SdKitSpanNames.Deregister, Mine));
        Assert.Equal(secondKey, deregister.Tag(SdKitSpanAttributes.RegistrationKey));
    }

    [Fact]
    public async Task Registrar_RegisterFailsThenSucceeds_FailedAttemptIsAnErrorSpan()
    {
        var registry = new InMemoryRegistry();
        await using var client = registry.CreateClient();
        await using var registrar = new Registrar(client, new ServiceEntry(_path, "b:1"), s_quickBackoff);
        client.Suspend();

        var registering = registrar.RegisterAsync();
        var failed = await _spans.WaitForAsync(SdKitSpanNames.Register, s => Mine(s) && s.Status == ActivityStatusCode.Error, s_wait);
        client.Resume();
        await registering.WaitAsync(s_wait);

        Assert.Equal(typeof(InMemoryConnectionException).FullName, failed.Tag(SdKitSpanAttributes.ErrorType));
        Assert.Contains(failed.Events, e => e.Name == "exception");
        var succeeded = Assert.Single(_spans.Find(SdKitSpanNames.Register, s => Mine(s) && s.Status != ActivityStatusCode.Error));
        Assert.True(int.Parse(succeeded.Tag(SdKitSpanAttributes.Attempt)!, System.Globalization.CultureInfo.InvariantCulture) > 1);
    }

    [Fact]
    public async Task Instancer_InstancesJoinAndLeave_OneRootSpanPerUpdateWithTheDifference()
    {
        var registry = new InMemoryRegistry();
        await using var writer = registry.CreateClient();
        await using var reader = registry.CreateClient();
        var a = await writer.RegisterAsync(new ServiceEntry(_path, "a:1"));
        await using var instancer = new Instancer(reader, _path);
        await instancer.WaitForFirstEventAsync().AsTask().WaitAsync(s_wait);

        await writer.RegisterAsync(new ServiceEntry(_path, "b:2"));
        await _spans.WaitForAsync(SdKitSpanNames.InstancerUpdate, s => Mine(s) && s.Has(SdKitSpanAttributes.InstanceCount, "2"), s_wait);
        await writer.DeregisterAsync(a);
        var last = await _spans.WaitForAsync(SdKitSpanNames.InstancerUpdate, s => Mine(s) && Strings(s, SdKitSpanAttributes.InstancesLeft).Length > 0, s_wait);

        var updates = _spans.Find(SdKitSpanNames.InstancerUpdate, Mine);
        Assert.Equal(3, updates.Count);
        Assert.Equal(["a:1"], Strings(updates[0], SdKitSpanAttributes.InstancesJoined));
        Assert.Equal(["b:2"], Strings(updates[1], SdKitSpanAttributes.InstancesJoined));
        Assert.Empty(Strings(updates[1], SdKitSpanAttributes.InstancesLeft));
        Assert.Equal(["a:1"], Strings(last, SdKitSpanAttributes.InstancesLeft));
        Assert.Equal("1", last.Tag(SdKitSpanAttributes.InstanceCount));
        Assert.All(updates, u => Assert.Null(u.ParentId));
    }

    [Fact]
    public async Task Instancer_WatchFails_UpdateSpanIsAnError()
    {
        var registry = new InMemoryRegistry();
        await using var reader = registry.CreateClient();
        await using var instancer = new Instancer(reader, _path);
        await instancer.WaitForFirstEventAsync().AsTask().WaitAsync(s_wait);

        reader.Suspend();
        var failed = await _spans.WaitForAsync(SdKitSpanNames.InstancerUpdate, s => Mine(s) && s.Status == ActivityStatusCode.Error, s_wait);
        reader.Resume();

        Assert.Equal(typeof(InMemoryConnectionException).FullName, failed.Tag(SdKitSpanAttributes.ErrorType));
    }

    [Fact]
    public async Task Retry_FirstInstanceFails_AttemptSpansNameEachChosenInstanceUnderTheCallerSpan()
    {
        var registry = new InMemoryRegistry();
        await using var writer = registry.CreateClient();
        await using var reader = registry.CreateClient();
        await writer.RegisterAsync(new ServiceEntry(_path, "down:1"));
        await writer.RegisterAsync(new ServiceEntry(_path, "up:2"));
        await using var instancer = new Instancer(reader, _path);
        await instancer.WaitForFirstEventAsync().AsTask().WaitAsync(s_wait);
        await using var endpointer = new Endpointer<Endpoint<string, string>>(instancer, instance => (
            (request, _) => instance.StartsWith("down", StringComparison.Ordinal)
                ? throw new IOException($"{instance} refused the connection")
                : ValueTask.FromResult($"{instance}:{request}"),
            null));
        var retry = Retry.Create(Balancers.RoundRobin(endpointer), new RetryOptions { Backoff = new BackoffOptions { InitialDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero } });
        using var caller = new ActivitySource("SdKit.Tests.Caller");
        using var callerListener = new SpanRecorder(caller.Name);

        var replies = new List<string>();
        string callerTrace;
        using (var request = caller.StartActivity("request"))
        {
            callerTrace = request!.TraceId.ToString();
            for (var call = 0; call < 2; call++)
            {
                replies.Add(await retry("ping", CancellationToken.None));
            }
        }

        var calls = _spans.Find(SdKitSpanNames.Retry, s => s.TraceId.ToString() == callerTrace);
        var attempts = _spans.Find(SdKitSpanNames.RetryAttempt, s => s.TraceId.ToString() == callerTrace);
        Assert.Equal(["up:2:ping", "up:2:ping"], replies);
        Assert.Equal(2, calls.Count);
        Assert.All(calls, c => Assert.Equal("ok", c.Tag(SdKitSpanAttributes.Outcome)));
        // Round robin sends at least one of the two calls to the refusing instance first, whichever it starts at.
        var failed = attempts.Where(a => a.Status == ActivityStatusCode.Error).ToList();
        Assert.NotEmpty(failed);
        Assert.All(failed, a => Assert.Equal("down:1", a.Tag(SdKitSpanAttributes.Instance)));
        Assert.All(failed, a => Assert.Equal(typeof(IOException).FullName, a.Tag(SdKitSpanAttributes.ErrorType)));
        Assert.All(failed, a => Assert.Equal("1", a.Tag(SdKitSpanAttributes.Attempt)));
        Assert.Equal(2, attempts.Count(a => a.Has(SdKitSpanAttributes.Instance, "up:2") && a.Status != ActivityStatusCode.Error));
        Assert.Equal(2 + failed.Count, attempts.Count);
        Assert.All(attempts, a => Assert.Contains(calls, c => c.SpanId == a.ParentSpanId));
        Assert.All(failed, a => Assert.Equal("2", calls.Single(c => c.SpanId == a.ParentSpanId).Tag(SdKitSpanAttributes.Attempt)));
    }

    private bool Mine(Activity span) => span.Has(SdKitSpanAttributes.ServicePath, _path);

    private static string[] Strings(Activity span, string name) => (string[])span.GetTagItem(name)!;
}
