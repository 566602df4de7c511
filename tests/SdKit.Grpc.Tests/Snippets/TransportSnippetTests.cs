using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SdKit.Instances;
using SdKit.Testing.Network;
using SdKit.Testing.ZooKeeper;
using SdKit.Transports.TestBackend;

namespace SdKit.Grpc.Tests.Snippets;

/// <summary>docs/grpc.md shows <see cref="GrpcSnippet"/> verbatim, and the snippet calls a registered greeter.</summary>
public sealed partial class TransportSnippetTests(ZooKeeperServerFixture zooKeeper) : IClassFixture<ZooKeeperServerFixture>
{
    [Fact]
    public void GrpcPage_ShowsTheCompiledGrpcSnippet()
    {
        var root = SdKit.Testing.RepositoryRoot.Path;
        var source = File.ReadAllText(Path.Combine(root, "tests", "SdKit.Grpc.Tests", "Snippets", "GrpcSnippet.cs")).ReplaceLineEndings("\n");
        var body = Snippet().Match(source).Groups["body"].Value.Split('\n');
        var code = string.Join('\n', body.Select(l => l.Length >= 8 ? l[8..] : l.TrimStart())).TrimEnd() + "\n";
        var page = File.ReadAllText(Path.Combine(root, "docs", "grpc.md")).ReplaceLineEndings("\n");
        Assert.Contains("```csharp\n" + code + "```", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GrpcSnippet_CallsTheGreeterRegisteredInZooKeeper()
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        await using var backend = TransportBackend.Build(["--urls", url, "--Service", "greeter", "--Registry", "zookeeper", "--SdKit:ZooKeeper:ConnectString", zooKeeper.ConnectString]);
        await backend.StartAsync();
        using var host = GrpcSnippet.Build(zooKeeper.ConnectString);
        await host.StartAsync();

        // The backend's hosted registrar registers after it started; a call before the registry lists it would be
        // told, rightly, that none is registered.
        await host.Services.GetRequiredKeyedService<IInstancer>("greeter").FirstAsync(e => e.Instances.Length == 1).ToTask().WaitAsync(TimeSpan.FromSeconds(30));

        var reply = await host.Services.GetRequiredService<Greeter.GreeterClient>().SayHelloAsync(new HelloRequest(), deadline: DateTime.UtcNow.AddSeconds(20));

        Assert.Equal(url, reply.Backend);
        await host.StopAsync();
        await backend.StopAsync();
    }

    [GeneratedRegex(@"// begin-snippet: grpc-client\n(?<body>.*?)\n[ \t]*// end-snippet", RegexOptions.Singleline)]
    private static partial Regex Snippet();
}
