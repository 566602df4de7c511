using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SdKit.Hosting.ServiceDiscovery;
using SdKit.InMemory;
using SdKit.Testing.Network;
using SdKit.Testing.ZooKeeper;
using Xunit;

namespace SdKit.Hosting.Tests.ServiceDiscovery;

/// <summary>
/// A frontend that starts while its registry cannot be reached: a real ZooKeeper behind a <see cref="LoopbackProxy"/>
/// that holds every byte until the test resumes it, a real Kestrel backend registered on that ZooKeeper directly.
/// Without a fallback each call fails with <see cref="RegistryUnavailableException"/> (not Microsoft.Extensions.
/// ServiceDiscovery's "no endpoints"); with <c>SdKit:FallbackInstances</c> calls go to the fallback; either way the
/// registered instance is called as soon as the registry answers.
/// </summary>
public sealed class RegistryUnavailableTests(ZooKeeperServerFixture zooKeeper) : IClassFixture<ZooKeeperServerFixture>, IAsyncLifetime
{
    private static readonly TimeSpan s_firstSnapshotTimeout = TimeSpan.FromMilliseconds(300);
    private readonly string _service = $"unreachable-{Guid.NewGuid():N}";
    private LoopbackProxy _proxy = null!;
    private HelloServer _backend = null!;

    public async Task InitializeAsync()
    {
        _proxy = LoopbackProxy.Start(zooKeeper.Server.Port);
        _proxy.Stall();
        _backend = await HelloServer.StartAsync(sdkit => sdkit.AddZooKeeper(o => o.Connection.ConnectString = zooKeeper.ConnectString), _service);

        // Registered before the frontend starts: a registration still in flight when the proxy resumes would make
        // the registry's first answer an empty set, which is not what these tests are about.
        await _backend.WaitUntilRegisteredAsync($"/services/{_service}");
    }

    public async Task DisposeAsync()
    {
        await _backend.DisposeAsync();
        await _proxy.DisposeAsync();
    }

    [Fact]
    public async Task HttpCall_RegistryUnreachableAtStartup_ThrowsRegistryUnavailableUntilTheRegistryAnswers()
    {
        using var client = await StartClientAsync(new Dictionary<string, string?>());
        var http = client.Services.GetRequiredService<IHttpClientFactory>().CreateClient(_service);

        var first = await Assert.ThrowsAsync<RegistryUnavailableException>(() => http.GetStringAsync(new Uri("/", UriKind.Relative)).WaitAsync(TestTimeouts.Event));
        var second = await Assert.ThrowsAsync<RegistryUnavailableException>(() => http.GetStringAsync(new Uri("/", UriKind.Relative)).WaitAsync(TestTimeouts.Event));
        _proxy.Resume();
        var answer = await FirstAnswerAsync(http);
        await client.StopAsync();

        Assert.Equal(_service, first.ServiceName);
        Assert.Equal($"/services/{_service}", first.ServicePath);
        Assert.Contains("the registry has not answered about it within SdKit:FirstSnapshotTimeout (0.3 s; the discovery client is Suspended)", first.Message, StringComparison.Ordinal);
        Assert.Contains($"set SdKit:FallbackInstances:{_service}", first.Message, StringComparison.Ordinal);
        Assert.True(first.IsTransient);
        Assert.Equal(first.Message, second.Message);
        Assert.Equal(new Uri(_backend.Address).Authority, answer);
    }

    [Fact]
    public async Task HttpCall_RegistryUnreachableWithFallback_CallsTheFallbackThenTheRegisteredInstance()
    {
        await using var fallback = await HelloServer.StartAsync(new InMemoryRegistry(), "fallback");
        using var client = await StartClientAsync(new Dictionary<string, string?> { [$"SdKit:FallbackInstances:{_service}:0"] = fallback.Address });
        var http = client.Services.GetRequiredService<IHttpClientFactory>().CreateClient(_service);

        var viaFallback = await http.GetStringAsync(new Uri("/", UriKind.Relative)).WaitAsync(TestTimeouts.Event);
        _proxy.Resume();
        var registered = new Uri(_backend.Address).Authority;
        var answers = await HttpAnswers.CollectUntilAsync(http, seen => seen.Count == 1 && seen.Contains(registered), fresh: true, consecutive: 5);
        await client.StopAsync();

        Assert.Equal(new Uri(fallback.Address).Authority, viaFallback);
        Assert.Equal([registered], answers);
    }

    [Fact]
    public async Task HostStart_FallbackInstanceUnreadable_FailsNamingTheKey()
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(
            () => StartClientAsync(new Dictionary<string, string?> { [$"SdKit:FallbackInstances:{_service}:0"] = "not an address" }));

        Assert.Contains($"SdKit:FallbackInstances:{_service}:0 'not an address' is neither a URI with a host nor host:port.", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Calls until the registry has answered and a call succeeds; each failure before must be the clear one.</summary>
    private static async Task<string> FirstAnswerAsync(HttpClient http)
    {
        var deadline = DateTimeOffset.UtcNow + TestTimeouts.Start;
        while (true)
        {
            try
            {
                return await http.GetStringAsync(new Uri("/", UriKind.Relative));
            }
            catch (RegistryUnavailableException) when (DateTimeOffset.UtcNow < deadline)
            {
                // The connection held by the proxy is completing; the next call resolves again.
            }
        }
    }

    private async Task<IHost> StartClientAsync(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSdKit(options => options.FirstSnapshotTimeout = s_firstSnapshotTimeout)
            .AddZooKeeper(o => o.Connection.ConnectString = _proxy.Endpoint);
        builder.Services.AddHttpClient(_service, http => http.BaseAddress = new Uri($"http://{_service}")).AddSdKitServiceDiscovery();
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
}
