using SdKit.Client;
using SdKit.Endpoints;
using SdKit.Instances;
using SdKit.Instances.Codecs;
using SdKit.LoadBalancing;

namespace SdKit.Hosting.Tests.Snippets;

/// <summary>docs/getting-started.md, typed instances: a version filter and a zone-aware balancer.</summary>
internal static class WeightedBalancingSnippet
{
    public static async Task<List<string>> PickAsync(IDiscoveryClient client, int picks)
    {
        // begin-snippet: version-filter-zone-aware
        // Instances registered in SdKit's JSON layout, for example
        // {"host":"10.0.1.7","port":8080,"zone":"eu-1","weight":2,"metadata":{"version":"2"}}
        var codec = SdKitJsonCodec.Instance;
        await using var instancer = new Instancer(client, "/services/hello");

        // A version filter: only enabled instances of version 2 reach the endpointer.
        await using var version2 = new FilteredInstancer(
            instancer,
            codec,
            InstanceFilters.All(InstanceFilters.Enabled, InstanceFilters.MetadataEquals("version", "2")));
        await version2.WaitForFirstEventAsync();
        await using var endpointer = new Endpointer<string>(version2, instance => (codec.Decode(instance).Instance!.Host, null));

        // Zone-aware: stay in eu-1 while it holds at least its callers' share of the capacity (the weights),
        // spill the rest to other zones otherwise; weighted random within each part.
        var balancer = Balancers.ZoneAware(endpointer, codec, new ZoneAwareOptions { LocalZone = "eu-1" });
        var hosts = new List<string>();
        for (var i = 0; i < picks; i++)
        {
            hosts.Add(balancer.Pick());
        }
        // end-snippet
        return hosts;
    }
}
