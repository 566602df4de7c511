using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using SdKit.Instances;
using SdKit.Testing.Network;
using SdKit.Testing.ZooKeeper;
using SdKit.Transports.TestBackend;
using Yarp.ReverseProxy;
using Xunit;

namespace SdKit.Yarp.Tests.Snippets;

/// <summary>docs/yarp.md shows <see cref="YarpSnippet"/> verbatim, and the snippet proxies to a registered backend.</summary>
public sealed partial class YarpSnippetTests(ZooKeeperServerFixture zooKeeper) : IClassFixture<ZooKeeperServerFixture>
{
    [Fact]
    public void YarpPage_ShowsTheCompiledYarpSnippet()
    {
        var root = SdKit.Testing.RepositoryRoot.Path;
        var source = File.ReadAllText(Path.Combine(root, "tests", "SdKit.Yarp.Tests", "Snippets", "YarpSnippet.cs")).ReplaceLineEndings("\n");
        var body = Snippet().Match(source).Groups["body"].Value.Split('\n');
        Assert.True(body.Length > 5, "The snippet markers were not found in YarpSnippet.cs.");
        var code = string.Join('\n', body.Select(l => l.Length >= 8 ? l[8..] : l.TrimStart())).TrimEnd() + "\n";
        var page = File.ReadAllText(Path.Combine(root, "docs", "yarp.md")).ReplaceLineEndings("\n");
        Assert.Contains("```csharp\n" + code + "```", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task YarpSnippet_ProxiesToTheBackendRegisteredInZooKeeper()
    {
        var backendUrl = $"http://127.0.0.1:{FreePort.Next()}";
        await using var backend = TransportBackend.Build(["--urls", backendUrl, "--Service", "web", "--Protocols", "Http1", "--Registry", "zookeeper", "--SdKit:ZooKeeper:ConnectString", zooKeeper.ConnectString]);
        await backend.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var proxyUrl = $"http://127.0.0.1:{FreePort.Next()}";
        await using var proxy = YarpSnippet.Build(zooKeeper.ConnectString, proxyUrl);
        await proxy.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };

        await proxy.Services.GetRequiredKeyedService<IInstancer>("web").FirstAsync(e => e.Instances.Length == 1).ToTask().WaitAsync(TimeSpan.FromSeconds(30));

        // YARP applies the resolver's new destinations on its own reload after the instancer's event; it offers no
        // event to await, so its state is polled (with a deadline) until the cluster has the destination.
        var state = proxy.Services.GetRequiredService<IProxyStateLookup>();
        using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            while (state.GetClusters().SingleOrDefault()?.DestinationsState?.AvailableDestinations.Count is not 1)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), deadline.Token);
            }
        }

        var answer = (await http.GetStringAsync(new Uri(proxyUrl + "/"))).Trim('"');

        Assert.Equal(backendUrl, answer);
        await proxy.StopAsync();
        await backend.StopAsync();
    }

    [GeneratedRegex(@"// begin-snippet: yarp-proxy\n(?<body>.*?)\n[ \t]*// end-snippet", RegexOptions.Singleline)]
    private static partial Regex Snippet();
}
