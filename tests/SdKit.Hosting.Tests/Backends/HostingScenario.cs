using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using SdKit.Hosting.Tests.ServiceDiscovery;
using SdKit.Instances;
using Xunit;

namespace SdKit.Hosting.Tests.Backends;

/// <summary>
/// The hosting scenario every real backend must pass: two hello servers register through the hosted registrar, a
/// client host resolves them over HTTP through Microsoft.Extensions.ServiceDiscovery, one server stops and leaves.
/// A backend's test class supplies only its client (<see cref="Backend"/>) and a way to read what its server stores.
/// </summary>
public abstract class HostingScenario
{
    /// <summary>Gets the backend's short name: the service (and the client's HTTP client) is <c>{Name}-hello</c>.</summary>
    protected abstract string Name { get; }

    private string HelloService => $"{Name}-hello";

    [Fact]
    public async Task Host_TwoServersThenOneStops_RegistersAfterStartResolvesOverHttpAndDeregistersOnStop()
    {
        await using var first = await HelloServer.StartAsync(Backend, HelloService, (builder, _) => builder.Services.AddHealthChecks().AddSdKit());
        var second = await HelloServer.StartAsync(Backend, HelloService);
        string[] bothAddresses = [.. new[] { first.Address, second.Address }.Order(StringComparer.Ordinal)];
        var (firstAddress, secondAddress) = (new Uri(first.Address).Authority, new Uri(second.Address).Authority);
        using var client = await StartClientAsync(TimeSpan.FromSeconds(5));
        var instancer = client.Services.GetRequiredKeyedService<IInstancer>(HelloService);
        var bothSeen = await instancer.FirstAsync(e => e.Instances.Length == 2).ToTask().WaitAsync(TestTimeouts.Event);
        var bothStored = await StoredInstancesAsync(HelloService);
        var http = client.Services.GetRequiredService<IHttpClientFactory>().CreateClient(HelloService);

        var answers = new HashSet<string>();
        for (var call = 0; call < 4; call++)
        {
            answers.Add(await http.GetStringAsync(new Uri("/", UriKind.Relative)));
        }

        var health = await first.App.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        await second.DisposeAsync();
        var afterStop = await instancer.FirstAsync(e => e.Instances.Length == 1).ToTask().WaitAsync(TestTimeouts.Event);
        var storedAfterStop = await StoredInstancesAsync(HelloService);

        // The resolver refreshes right after the instancer's change; until then a call may still pick the stopped
        // server and fail, so wait for ten answers in a row from the remaining one.
        var later = await HttpAnswers.CollectUntilAsync(http, seen => seen.Count == 1 && seen.Contains(firstAddress), fresh: true, consecutive: 10);
        await client.StopAsync();

        Assert.Equal(bothAddresses, bothSeen.Instances.ToArray());
        Assert.Equal(bothAddresses, bothStored);
        Assert.Equal(new HashSet<string>([firstAddress, secondAddress]), answers);
        Assert.Equal(HealthStatus.Healthy, health.Status);
        Assert.Equal([first.Address], afterStop.Instances.ToArray());
        Assert.Equal([first.Address], storedAfterStop);
        Assert.Equal(new HashSet<string>([firstAddress]), later);
    }

    /// <summary>Adds the backend's discovery client, pointed at the test's server.</summary>
    protected abstract ISdKitBuilder Backend(ISdKitBuilder sdkit);

    /// <summary>Reads the instances the server stores under <c>/services/{service}</c>, sorted, without this test's hosts.</summary>
    protected abstract Task<string[]> StoredInstancesAsync(string service);

    /// <summary>Starts a client host on the backend with an HTTP client resolving <c>http://{Name}-hello</c>, named the same.</summary>
    protected Task<IHost> StartClientAsync(TimeSpan firstSnapshotTimeout) => ClientHost.StartAsync(Backend, HelloService, firstSnapshotTimeout);
}
