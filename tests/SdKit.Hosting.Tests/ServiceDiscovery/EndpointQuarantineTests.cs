using System.Collections.Concurrent;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SdKit.Client;
using SdKit.InMemory;
using SdKit.Instances;
using SdKit.Testing.Network;
using Xunit;

namespace SdKit.Hosting.Tests.ServiceDiscovery;

/// <summary>
/// The quarantine on its own, on the in-memory backend with a real Kestrel server and an address where nothing listens
/// (every connection there is refused by the kernel): how long an address stays out, what happens when every address
/// is out, and how its settings are checked. The clock is a FakeTimeProvider, so the quarantine ends when the test says.
/// </summary>
public sealed class EndpointQuarantineTests
{
    [Fact]
    public async Task HttpCalls_OneAddressRefuses_LeftOutForTheDurationThenTriedAgain()
    {
        var registry = new InMemoryRegistry();
        await using var live = await HelloServer.StartAsync(registry, "hello");
        var dead = $"http://127.0.0.1:{FreePort.Next()}";
        await using var other = registry.CreateClient();
        await other.RegisterAsync(new ServiceEntry("/services/hello", dead));
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var attempts = new ConcurrentQueue<string>();
        using var client = await StartClientAsync(registry, time, attempts, new Dictionary<string, string?> { ["SdKit:Quarantine:Duration"] = "00:00:30" });
        var http = client.Services.GetRequiredService<IHttpClientFactory>().CreateClient("hello");
        var deadAuthority = new Uri(dead).Authority;
        await client.Services.GetRequiredKeyedService<IInstancer>("hello").FirstAsync(e => e.Instances.Length == 2).ToTask().WaitAsync(TestTimeouts.Event);

        // Both addresses come up in turn: the first call to the dead one is retried on the live one.
        var answers = new List<string>();
        for (var call = 0; call < 10; call++)
        {
            answers.Add(await http.GetStringAsync(new Uri("/", UriKind.Relative)));
        }

        var triedDeadBefore = attempts.Count(a => a == deadAuthority);
        time.Advance(TimeSpan.FromSeconds(29));
        for (var call = 0; call < 10; call++)
        {
            answers.Add(await http.GetStringAsync(new Uri("/", UriKind.Relative)));
        }

        var triedDeadWithin = attempts.Count(a => a == deadAuthority);
        time.Advance(TimeSpan.FromSeconds(2));
        for (var call = 0; call < 10; call++)
        {
            answers.Add(await http.GetStringAsync(new Uri("/", UriKind.Relative)));
        }

        var triedDeadAfter = attempts.Count(a => a == deadAuthority);
        await client.StopAsync();

        Assert.All(answers, a => Assert.Equal(new Uri(live.Address).Authority, a));
        Assert.Equal(1, triedDeadBefore);
        Assert.Equal(1, triedDeadWithin);
        Assert.Equal(2, triedDeadAfter);
    }

    [Fact]
    public async Task HttpCall_EveryAddressRefuses_FailsWithTheConnectionErrorNotNoEndpoints()
    {
        var registry = new InMemoryRegistry();
        await using var other = registry.CreateClient();
        await other.RegisterAsync(new ServiceEntry("/services/hello", $"http://127.0.0.1:{FreePort.Next()}"));
        var attempts = new ConcurrentQueue<string>();
        using var client = await StartClientAsync(registry, TimeProvider.System, attempts, []);
        var http = client.Services.GetRequiredService<IHttpClientFactory>().CreateClient("hello");

        var first = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetStringAsync(new Uri("/", UriKind.Relative)));
        var second = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetStringAsync(new Uri("/", UriKind.Relative)));
        await client.StopAsync();

        Assert.Equal(HttpRequestError.ConnectionError, first.HttpRequestError);
        Assert.Equal(HttpRequestError.ConnectionError, second.HttpRequestError);

        // One attempt and the default three retries per call, all on the only address there is.
        Assert.Equal(8, attempts.Count);
    }

    [Theory]
    [InlineData("SdKit:Quarantine:Duration", "-00:00:01", "SdKit:Quarantine:Duration (-00:00:01) must be between 00:00:00 (off) and 01:00:00.")]
    [InlineData("SdKit:Quarantine:ConnectRetries", "101", "SdKit:Quarantine:ConnectRetries (101) must be between 0 and 100.")]
    public async Task HostStart_QuarantineSettingOutOfRange_FailsNamingTheKey(string key, string value, string message)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(
            () => StartClientAsync(new InMemoryRegistry(), TimeProvider.System, new ConcurrentQueue<string>(), new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    private static async Task<IHost> StartClientAsync(InMemoryRegistry registry, TimeProvider time, ConcurrentQueue<string> attempts, Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton(time);
        builder.Services.AddSdKit().AddInMemory(registry);
        builder.Services.AddHttpClient("hello", http => http.BaseAddress = new Uri("http://hello"))
            .AddSdKitServiceDiscovery()
            .AddHttpMessageHandler(() => new AttemptRecorder(attempts));
        var host = builder.Build();
        try
        {
            await host.StartAsync().WaitAsync(TestTimeouts.Start);
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }

    /// <summary>Innermost: the address of every attempt, as the resolver chose it.</summary>
    private sealed class AttemptRecorder(ConcurrentQueue<string> attempts) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            attempts.Enqueue(request.RequestUri!.Authority);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
