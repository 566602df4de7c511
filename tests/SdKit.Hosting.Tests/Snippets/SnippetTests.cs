using System.Threading.Channels;
using SdKit.Client;
using SdKit.InMemory;
using Xunit;

namespace SdKit.Hosting.Tests.Snippets;

public sealed class SnippetTests
{
    private static readonly string[] Documents = ["docs/getting-started.md", "docs/hosting.md", "docs/cli.md", "docs/observability.md", "docs/zookeeper-client.md"];

    [Fact]
    public void Markdown_EverySnippet_MatchesTheCompiledSource()
    {
        var snippets = SnippetSource.ReadSnippets();
        var update = Environment.GetEnvironmentVariable("SDKIT_UPDATE_SNIPPETS") == "1";
        var stale = new List<string>();
        var unknown = new List<string>();
        foreach (var document in Documents)
        {
            var path = Path.Combine(SnippetSource.RepositoryRoot, document);
            var markdown = File.ReadAllText(path).ReplaceLineEndings("\n");
            var rendered = SnippetSource.Render(markdown, snippets, unknown);
            if (rendered != markdown)
            {
                stale.Add(document);
                if (update)
                {
                    File.WriteAllText(path, rendered);
                }
            }
        }

        Assert.Empty(unknown);
        Assert.True(stale.Count == 0 || update, $"Snippets out of date in {string.Join(", ", stale)}: run the tests with SDKIT_UPDATE_SNIPPETS=1.");
        Assert.Equal(["application-author", "etcd-configuration", "framework-author", "opentelemetry", "reactive-subscriber", "version-filter-zone-aware", "zookeeper-client-acl-multi", "zookeeper-client-basics"], snippets.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task FrameworkAuthor_ThreeInstances_RoundRobinReachesEach()
    {
        var replies = await FrameworkAuthorSnippet.RunAsync();

        Assert.Equal(
            ["127.0.0.1:8001 answers ping", "127.0.0.1:8002 answers ping", "127.0.0.1:8003 answers ping"],
            replies.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ApplicationAuthor_TwoApps_CallEachOtherThroughDiscovery()
    {
        var registry = new InMemoryRegistry();
        await using var app = ApplicationAuthorSnippet.Build(registry);
        await app.StartAsync().WaitAsync(TestTimeouts.Start);
        await using var watch = new RegistryWatch(registry, "/services/hello");
        await watch.WaitForAsync(e => e.Instances.Length == 1);
        var address = watch.Instancer.Current.Instances[0];

        using var http = new HttpClient();
        var reply = await http.GetStringAsync(new Uri(address + "/via-discovery"));
        await app.StopAsync();

        Assert.Equal("hello", reply);
        Assert.Empty(registry.Snapshot("/services/hello"));
    }

    [Fact]
    public async Task ReactiveSubscriber_JoinAndLeave_ReportsBoth()
    {
        var registry = new InMemoryRegistry();
        var reports = Channel.CreateUnbounded<string>();
        using var subscription = ReactiveSubscriberSnippet.Subscribe(registry, line => reports.Writer.TryWrite(line), out var owner);
        await using (owner)
        {
            await using var server = registry.CreateClient();
            var handle = await server.RegisterAsync(new ServiceEntry("/services/hello", "127.0.0.1:9001"));
            var joined = await reports.Reader.ReadAsync().AsTask().WaitAsync(TestTimeouts.Event);
            await server.DeregisterAsync(handle);
            var left = await reports.Reader.ReadAsync().AsTask().WaitAsync(TestTimeouts.Event);

            Assert.Equal("+127.0.0.1:9001", joined);
            Assert.Equal("-127.0.0.1:9001", left);
        }
    }

    [Fact]
    public async Task VersionFilterZoneAware_PicksOnlyVersion2InTheLocalZone()
    {
        var registry = new InMemoryRegistry();
        await using var server = registry.CreateClient();
        string[] instances =
        [
            """{"host":"eu1-a","port":80,"zone":"eu-1","weight":2,"metadata":{"version":"2"}}""",
            """{"host":"eu1-b","port":80,"zone":"eu-1","weight":2,"metadata":{"version":"2"}}""",
            """{"host":"eu1-old","port":80,"zone":"eu-1","weight":9,"metadata":{"version":"1"}}""",
            """{"host":"eu1-off","port":80,"zone":"eu-1","enabled":false,"metadata":{"version":"2"}}""",
            """{"host":"eu2-a","port":80,"zone":"eu-2","metadata":{"version":"2"}}""",
            """{"host":"eu2-b","port":80,"zone":"eu-2","metadata":{"version":"2"}}""",
            """{"host":"eu2-c","port":80,"zone":"eu-2","metadata":{"version":"2"}}""",
            """{"host":"eu2-d","port":80,"zone":"eu-2","metadata":{"version":"2"}}""",
        ];
        foreach (var instance in instances)
        {
            await server.RegisterAsync(new ServiceEntry("/services/hello", instance));
        }

        await using var client = registry.CreateClient();

        // Six enabled version-2 instances; eu-1 holds 4 of 8 units of capacity, its callers' share (two zones) is 1/2.
        var hosts = await WeightedBalancingSnippet.PickAsync(client, 2_000);

        Assert.Equal(["eu1-a", "eu1-b"], hosts.Distinct().Order(StringComparer.Ordinal));
    }
}
