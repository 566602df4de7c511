using System.Reactive.Linq;
using SdKit.InMemory;
using SdKit.Instances;

namespace SdKit.Hosting.Tests.Snippets;

/// <summary>docs/getting-started.md, the reactive subscriber: System.Reactive operators over an instancer.</summary>
internal static class ReactiveSubscriberSnippet
{
    public static IDisposable Subscribe(InMemoryRegistry registry, Action<string> report, out IAsyncDisposable owner)
    {
        var client = registry.CreateClient();
        // begin-snippet: reactive-subscriber
        var instancer = new Instancer(client, "/services/hello");

        // Errors are values in the stream (with the last known instances), never OnError: filter them out,
        // diff consecutive sets, and report what joined and what left.
        var subscription = instancer
            .Where(e => e.Error is null)
            .Select(e => e.Instances)
            .Buffer(2, 1)
            .Where(pair => pair.Count == 2)
            .Select(pair => (Joined: pair[1].Except(pair[0]).ToList(), Left: pair[0].Except(pair[1]).ToList()))
            .Where(change => change.Joined.Count + change.Left.Count > 0)
            .Subscribe(change =>
            {
                change.Joined.ForEach(instance => report($"+{instance}"));
                change.Left.ForEach(instance => report($"-{instance}"));
            });
        // end-snippet
        owner = new Owner(instancer, client);
        return subscription;
    }

    private sealed class Owner(Instancer instancer, InMemoryDiscoveryClient client) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await instancer.DisposeAsync();
            await client.DisposeAsync();
        }
    }
}
