using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SdKit.Instances;
using SdKit.Testing.Network;
using SdKit.Testing.Processes;
using SdKit.Testing.ZooKeeper;
using Xunit;

namespace SdKit.Hosting.Tests.ServiceDiscovery;

/// <summary>
/// The issue's scenario for real: two backends as separate processes (Kestrel, registered through the hosted registrar
/// on a real ZooKeeper with a real session), a frontend calling them over HttpClient with
/// <c>AddSdKitServiceDiscovery()</c>, and one backend killed with SIGKILL. No call may fail while the other backend is
/// healthy, and the killed one must stop being chosen long before ZooKeeper expires its session.
/// </summary>
public sealed class CrashedInstanceTests(ZooKeeperServerFixture zooKeeper) : IClassFixture<ZooKeeperServerFixture>
{
    private const int Callers = 3;

    [Fact]
    public async Task HttpCalls_OneOfTwoBackendsKilled_NoCallFailsAndTheKilledOneIsLeftOutBeforeItsSessionExpires()
    {
        var service = $"crash-{Guid.NewGuid():N}";
        await using var doomed = TestBackends.Start(zooKeeper.ConnectString, service, out var doomedAddress);
        await using var survivor = TestBackends.Start(zooKeeper.ConnectString, service, out var survivorAddress);
        var attempts = new ConcurrentQueue<Attempt>();
        using var client = await StartClientAsync(service, attempts);
        var instancer = client.Services.GetRequiredKeyedService<IInstancer>(service);
        var timeline = new ConcurrentQueue<string>();
        var start = Stopwatch.GetTimestamp();
        using var watching = instancer.Subscribe(e => timeline.Enqueue($"{Stopwatch.GetElapsedTime(start).TotalMilliseconds:0}ms {e}"));
        await instancer.FirstAsync(e => e.Instances.Length == 2).ToTask().WaitAsync(TestTimeouts.Start);
        var http = client.Services.GetRequiredService<IHttpClientFactory>().CreateClient(service);
        var (doomedAuthority, survivorAuthority) = (new Uri(doomedAddress).Authority, new Uri(survivorAddress).Authority);
        await HttpAnswers.CollectUntilAsync(http, seen => seen.Count == 2);

        // Callers run until the registry has dropped the killed backend (its session expired) and a little after.
        using var stop = new CancellationTokenSource();
        var failures = new ConcurrentQueue<Exception>();
        var answers = new AnswerLog();
        var callers = Enumerable.Range(0, Callers).Select(_ => Task.Run(() => answers.CallUntilStoppedAsync(http, failures, stop.Token))).ToArray();
        await answers.WaitForCountAsync(20);
        var attemptsBeforeKill = attempts.Count;
        var killedAt = Stopwatch.GetTimestamp();
        await doomed.KillAsync();
        await instancer.FirstAsync(e => e.Instances.Length == 1).ToTask().WaitAsync(TestTimeouts.Start);
        var removedAt = Stopwatch.GetTimestamp();
        await answers.WaitForCountAsync(answers.Count + 20);
        await stop.CancelAsync();
        await Task.WhenAll(callers);
        await client.StopAsync();

        var history = $" Instances seen: {string.Join(" ; ", timeline)}; killed at {Stopwatch.GetElapsedTime(start, killedAt).TotalMilliseconds:0}ms.";
        Assert.True(failures.IsEmpty, $"{failures.Count} calls failed: {string.Join(" | ", failures.Select(f => f.GetType().Name + ": " + f.Message + " <- " + f.InnerException?.Message))}.{history}");
        var toDoomed = attempts.Skip(attemptsBeforeKill).Where(a => a.Authority == doomedAuthority && !a.Connected).ToList();
        var detail = string.Join(" | ", toDoomed.Select(a => a.Error));
        var refusals = toDoomed.Where(a => a.Error.StartsWith("ConnectionError", StringComparison.Ordinal)).ToList();
        Assert.True(refusals.Count > 0, $"No connection to the killed backend was refused: {detail}.{history}");

        // Calls in flight at the kill, and calls sent on connections pooled before it, break; calls resolved at the
        // moment of the first refusal may still go there. Past that moment (and a generous grace for a loaded
        // machine) nothing is sent to the killed backend, although ZooKeeper lists it until its session expires.
        var quarantinedAt = refusals.Min(a => a.Ended) + Stopwatch.Frequency;
        var late = toDoomed.Where(a => a.Started > quarantinedAt).ToList();
        Assert.True(late.Count == 0, $"{late.Count} attempts went to the killed backend after its quarantine: {detail}.{history}");
        var answeredInQuarantine = answers.Count(a => a.At > quarantinedAt && a.At < removedAt);
        Assert.True(answeredInQuarantine > Callers * 3, $"Only {answeredInQuarantine} calls were answered between the quarantine and the session expiry.{history}");
        Assert.All(answers.Where(a => a.At > quarantinedAt), a => Assert.Equal(survivorAuthority, a.Authority));
        Assert.Contains(answers, a => a.Authority == doomedAuthority && a.At < killedAt);
    }

    private async Task<IHost> StartClientAsync(string service, ConcurrentQueue<Attempt> attempts)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSdKit().AddZooKeeper(o => o.Connection.ConnectString = zooKeeper.ConnectString);
        builder.Services.AddHttpClient(service, http => http.BaseAddress = new Uri($"http://{service}"))
            .AddSdKitServiceDiscovery()
            .AddHttpMessageHandler(() => new AttemptRecorder(attempts));
        var host = builder.Build();
        await host.StartAsync().WaitAsync(TestTimeouts.Start);
        return host;
    }

    /// <summary>One attempt as the innermost handler saw it: where, from when to when, and how it ended.</summary>
    private sealed record Attempt(string Authority, long Started, long Ended, bool Connected, string Error);

    /// <summary>Innermost: sees every attempt with the address the resolver chose, and whether it connected.</summary>
    private sealed class AttemptRecorder(ConcurrentQueue<Attempt> attempts) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var authority = request.RequestUri!.Authority;
            var started = Stopwatch.GetTimestamp();
            try
            {
                var response = await base.SendAsync(request, cancellationToken);
                attempts.Enqueue(new Attempt(authority, started, Stopwatch.GetTimestamp(), true, string.Empty));
                return response;
            }
            catch (HttpRequestException ex)
            {
                attempts.Enqueue(new Attempt(authority, started, Stopwatch.GetTimestamp(), false, $"{ex.HttpRequestError}: {ex.InnerException?.Message}"));
                throw;
            }
        }
    }
}
