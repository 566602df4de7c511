using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SdKit.InMemory;

namespace SdKit.Hosting.Tests.Snippets;

/// <summary>docs/getting-started.md and docs/hosting.md, the application author: the hosted registrar.</summary>
internal static class ApplicationAuthorSnippet
{
    public static WebApplication Build(InMemoryRegistry registry)
    {
        // begin-snippet: application-author
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");

        // Registers this app as an instance of "hello" once it listens, deregisters it first on shutdown.
        // In production: .AddZooKeeper(o => o.Connection.ConnectString = "10.0.0.1:2181/apps") or
        // .AddEtcd(o => o.Endpoints.Add("http://10.0.0.1:2379")) instead of .AddInMemory(registry).
        builder.Services.AddSdKit()
            .AddInMemory(registry)
            .AddRegistration("hello", services => services.GetRequiredService<IServer>()
                .Features.Get<IServerAddressesFeature>()!.Addresses.First());
        builder.Services.AddHealthChecks().AddSdKit();

        // Calls to http://hello go to the live instances of "hello", following every change at once; a call
        // that cannot connect (a crashed instance) moves to another, which is then left out for a while.
        builder.Services.AddHttpClient("hello", http => http.BaseAddress = new Uri("http://hello"))
            .AddSdKitServiceDiscovery();

        var app = builder.Build();
        app.MapGet("/", () => "hello");
        app.MapGet("/via-discovery", (IHttpClientFactory factory) => factory.CreateClient("hello").GetStringAsync(new Uri("/", UriKind.Relative)));
        // end-snippet
        return app;
    }
}
