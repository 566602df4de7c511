using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SdKit.Client;
using SdKit.Hosting;
using SdKit.InMemory;

namespace SdKit.Hosting.Tests;

/// <summary>
/// A real Kestrel server on 127.0.0.1 (port 0) that registers itself as an instance of a service through the
/// hosted registrar, with the address Kestrel was given, and answers every request with that address.
/// </summary>
internal sealed class HelloServer : IAsyncDisposable
{
    private HelloServer(WebApplication app) => App = app;

    public WebApplication App { get; }

    /// <summary>Gets the address the server listens on, for example <c>http://127.0.0.1:41234</c>.</summary>
    public string Address => App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

    public static WebApplication Build(InMemoryRegistry registry, string service, Action<WebApplicationBuilder, ISdKitBuilder>? configure = null, RequestDelegate? handler = null)
        => Build(sdkit => sdkit.AddInMemory(registry), service, configure, handler);

    public static WebApplication Build(Func<ISdKitBuilder, ISdKitBuilder> backend, string service, Action<WebApplicationBuilder, ISdKitBuilder>? configure = null, RequestDelegate? handler = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var sdkit = backend(builder.Services.AddSdKit()).AddRegistration(service, provider =>
            provider.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        configure?.Invoke(builder, sdkit);
        var app = builder.Build();
        app.Run(handler ?? (context => context.Response.WriteAsync(context.Request.Host.Value ?? string.Empty)));
        return app;
    }

    public static Task<HelloServer> StartAsync(InMemoryRegistry registry, string service, Action<WebApplicationBuilder, ISdKitBuilder>? configure = null, RequestDelegate? handler = null)
        => StartAsync(sdkit => sdkit.AddInMemory(registry), service, configure, handler);

    public static async Task<HelloServer> StartAsync(Func<ISdKitBuilder, ISdKitBuilder> backend, string service, Action<WebApplicationBuilder, ISdKitBuilder>? configure = null, RequestDelegate? handler = null)
    {
        var app = Build(backend, service, configure, handler);
        await app.StartAsync().WaitAsync(TestTimeouts.Start);
        return new HelloServer(app);
    }

    /// <summary>
    /// Waits until the registry lists this server under <paramref name="servicePath"/>: the hosted registrar registers
    /// after the application started, so a started server may not be registered yet.
    /// </summary>
    public async Task WaitUntilRegisteredAsync(string servicePath)
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Start);
        var client = App.Services.GetRequiredService<IDiscoveryClient>();
        await foreach (var instances in client.WatchAsync(servicePath, timeout.Token))
        {
            if (instances.Contains(Address))
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync().WaitAsync(TestTimeouts.Start);
        await App.DisposeAsync();
    }
}
