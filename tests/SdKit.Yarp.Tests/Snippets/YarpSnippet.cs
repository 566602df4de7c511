using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Configuration;

namespace SdKit.Yarp.Tests.Snippets;

/// <summary>docs/yarp.md's YARP example, compiled and run by <see cref="YarpSnippetTests"/>.</summary>
internal static class YarpSnippet
{
    public static WebApplication Build(string zooKeeperConnectString, string proxyUrl)
    {
        // begin-snippet: yarp-proxy
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls(proxyUrl);
        builder.Services.AddSdKit().AddZooKeeper(o => o.Connection.ConnectString = zooKeeperConnectString);
        builder.Services.AddReverseProxy()
            .LoadFromMemory(
                [new RouteConfig { RouteId = "all", ClusterId = "web", Match = new RouteMatch { Path = "{**rest}" } }],
                [new ClusterConfig
                {
                    ClusterId = "web",

                    // One destination per live instance of the service "web" (/services/web).
                    Destinations = new Dictionary<string, DestinationConfig> { ["web"] = new() { Address = "sdkit:///web" } },

                    // An instance that refuses a connection is left out at once, before the registry drops it.
                    HealthCheck = new HealthCheckConfig
                    {
                        Passive = new PassiveHealthCheckConfig { Enabled = true, Policy = SdKitReverseProxyBuilderExtensions.ConnectionFailureHealthPolicy },
                    },
                }])
            .AddSdKitDestinations();
        var app = builder.Build();
        app.MapReverseProxy();
        // end-snippet
        return app;
    }
}
