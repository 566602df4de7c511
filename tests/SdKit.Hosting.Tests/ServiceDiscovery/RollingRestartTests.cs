using System.Collections.Concurrent;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SdKit.Instances;
using SdKit.Testing.Processes;
using SdKit.Testing.ZooKeeper;
using Xunit;

namespace SdKit.Hosting.Tests.ServiceDiscovery;

/// <summary>
/// Graceful drain (issue #17): three backends as separate processes, registered on a real ZooKeeper with
/// <c>SdKit:DrainDelay</c>, restarted one after the other with SIGTERM while callers call them in a loop over
/// HttpClient with <c>AddSdKitServiceDiscovery()</c>. Each stopping backend deregisters first and serves on for the
/// drain delay, so no call fails and every replacement is called.
/// </summary>
public sealed class RollingRestartTests(ZooKeeperServerFixture zooKeeper) : IClassFixture<ZooKeeperServerFixture>
{
    private const int Callers = 3;

    [Fact]
    public async Task HttpCalls_ThreeBackendsRestartedInTurnWithADrainDelay_NoCallFailsAndEveryReplacementIsCalled()
    {
        var service = $"rolling-{Guid.NewGuid():N}";
        var backends = new List<(ServerProcess Process, string Address)>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                backends.Add((Start(service, out var address), address));
            }

            using var client = await StartClientAsync(service);
            var instancer = client.Services.GetRequiredKeyedService<IInstancer>(service);
            await instancer.FirstAsync(e => e.Instances.Length == 3).ToTask().WaitAsync(TestTimeouts.Start);
            var http = client.Services.GetRequiredService<IHttpClientFactory>().CreateClient(service);
            await HttpAnswers.CollectUntilAsync(http, seen => seen.Count == 3);

            using var stop = new CancellationTokenSource();
            var failures = new ConcurrentQueue<Exception>();
            var answers = new AnswerLog();
            var callers = Enumerable.Range(0, Callers).Select(_ => Task.Run(() => answers.CallUntilStoppedAsync(http, failures, stop.Token))).ToArray();
            await answers.WaitForCountAsync(20);
            var exitCodes = new List<int>();
            var replacements = new List<string>();
            for (var i = 0; i < 3; i++)
            {
                // A new backend joins first (as a rolling update does), then the old one is asked to stop.
                var replacement = Start(service, out var replacementAddress);
                backends.Add((replacement, replacementAddress));
                replacements.Add(new Uri(replacementAddress).Authority);
                await instancer.FirstAsync(e => e.Instances.Contains(replacementAddress)).ToTask().WaitAsync(TestTimeouts.Start);
                var (old, oldAddress) = backends[i];
                var left = instancer.FirstAsync(e => !e.Instances.Contains(oldAddress)).ToTask();
                exitCodes.Add(await old.TerminateAsync(TestTimeouts.Start));
                await left.WaitAsync(TestTimeouts.Start);
                await answers.WaitForCountAsync(answers.Count + 20);
            }

            await stop.CancelAsync();
            await Task.WhenAll(callers);
            await client.StopAsync();

            Assert.True(failures.IsEmpty, $"{failures.Count} calls failed: {string.Join(" | ", failures.Select(f => f.GetType().Name + ": " + f.Message + " <- " + f.InnerException?.Message))}.");
            Assert.All(exitCodes, code => Assert.Equal(0, code));
            Assert.All(replacements, authority => Assert.Contains(answers, a => a.Authority == authority));
            Assert.All(backends.Take(3), b => Assert.Contains("is out of", b.Process.Tail(200), StringComparison.Ordinal));
        }
        finally
        {
            foreach (var (process, _) in backends)
            {
                await process.DisposeAsync();
            }
        }
    }

    private ServerProcess Start(string service, out string address)
        => TestBackends.Start(zooKeeper.ConnectString, service, out address, "--SdKit:DrainDelay", "00:00:01.500");

    private async Task<IHost> StartClientAsync(string service)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSdKit().AddZooKeeper(o => o.Connection.ConnectString = zooKeeper.ConnectString);
        builder.Services.AddHttpClient(service, http => http.BaseAddress = new Uri($"http://{service}")).AddSdKitServiceDiscovery();
        var host = builder.Build();
        await host.StartAsync().WaitAsync(TestTimeouts.Start);
        return host;
    }
}
