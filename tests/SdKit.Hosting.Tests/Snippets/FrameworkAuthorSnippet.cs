using System.Reactive.Linq;
using SdKit.Client;
using SdKit.Endpoints;
using SdKit.InMemory;
using SdKit.Instances;
using SdKit.LoadBalancing;
using SdKit.Registration;

namespace SdKit.Hosting.Tests.Snippets;

/// <summary>docs/getting-started.md, the framework author: Instancer -> Endpointer -> Balancer -> Retry.</summary>
internal static class FrameworkAuthorSnippet
{
    public static async Task<List<string>> RunAsync()
    {
        // begin-snippet: framework-author
        // Three instances of /services/echo, each registered by its own client (its own session).
        var registry = new InMemoryRegistry();
        foreach (var port in new[] { 8001, 8002, 8003 })
        {
            var server = registry.CreateClient();
            await new Registrar(server, new ServiceEntry("/services/echo", $"127.0.0.1:{port}")).RegisterAsync();
        }

        // The caller's side: watch the service, turn each instance into an endpoint, balance, retry.
        await using var client = registry.CreateClient();
        await using var instancer = new Instancer(client, "/services/echo");
        await using var endpointer = new Endpointer<Endpoint<string, string>>(
            instancer,
            instance => ((request, cancellationToken) => ValueTask.FromResult($"{instance} answers {request}"), null));
        await endpointer.FirstAsync(endpoints => endpoints.Count == 3); // the first snapshot arrives asynchronously
        var balancer = Balancers.RoundRobin(endpointer);
        var call = Retry.Create(balancer, new RetryOptions { MaxAttempts = 3, Timeout = TimeSpan.FromSeconds(2) });

        var replies = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            replies.Add(await call("ping", CancellationToken.None));
        }
        // end-snippet

        return replies;
    }
}
