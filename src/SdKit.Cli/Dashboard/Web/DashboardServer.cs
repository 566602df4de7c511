using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;
using SdKit.Cli.Dashboard.Live;

namespace SdKit.Cli.Dashboard.Web;

/// <summary>
/// The dashboard's web server (Kestrel): the page and its script from resources embedded in the tool, the current
/// state as JSON, and the live event stream. Only GET endpoints exist: the dashboard cannot write to the registry.
/// </summary>
internal sealed class DashboardServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DashboardServer(WebApplication app) => _app = app;

    /// <summary>Gets the address the server listens on, with the port chosen when 0 was asked for.</summary>
    public Uri Address { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Starts serving <paramref name="feed"/> on <paramref name="listen"/>.</summary>
    /// <param name="listen">The address; a loopback one unless the user allowed others.</param>
    /// <param name="feed">The live feed of the registry.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="CliException">The address cannot be bound.</exception>
    public static async Task<DashboardServer> StartAsync(IPEndPoint listen, DashboardFeed feed, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        DashboardLogging.Configure(builder.Logging);
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(listen));

        // Open event streams end with the feed before the server stops; nothing else is long enough to wait for.
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(2));

        // A page on another site must not read the registry through a DNS name re-pointed at 127.0.0.1: on loopback
        // only loopback host names are answered.
        builder.Configuration["AllowedHosts"] = IPAddress.IsLoopback(listen.Address) ? "localhost;127.0.0.1;[::1]" : "*";
        builder.Services.AddHostFiltering(_ => { });
        var app = builder.Build();
        app.UseHostFiltering();
        app.Use(async (context, next) =>
        {
            // Everything the page loads comes from this server: no CDN, no inline script, nothing framed elsewhere.
            context.Response.Headers["Content-Security-Policy"] = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'";
            context.Response.Headers["X-Content-Type-Options"] = "nosniff";
            context.Response.Headers["Referrer-Policy"] = "no-referrer";
            await next(context).ConfigureAwait(false);
        });

        var files = new ManifestEmbeddedFileProvider(typeof(DashboardServer).Assembly, "Dashboard/wwwroot");
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        app.MapGet("/api/state", () => Results.Text(feed.Snapshot(), "application/json"));
        app.MapGet("/api/events", (HttpContext context) => StreamAsync(context, feed));

        var server = new DashboardServer(app);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw new CliException($"--listen {listen}: {ex.Message}", ex);
        }

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        server.Address = bound is null ? new Uri($"http://{listen}/") : new Uri(bound.Replace("[::]", "localhost", StringComparison.Ordinal) + "/");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task StreamAsync(HttpContext context, DashboardFeed feed)
    {
        context.Response.Headers.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var (messages, snapshot, leave) = feed.Join();
        using (leave)
        {
            var aborted = context.RequestAborted;
            try
            {
                await context.Response.WriteAsync(snapshot, aborted).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(aborted).ConfigureAwait(false);
                await foreach (var message in messages.ReadAllAsync(aborted).ConfigureAwait(false))
                {
                    await context.Response.WriteAsync(message, aborted).ConfigureAwait(false);
                    if (messages.Count == 0)
                    {
                        await context.Response.Body.FlushAsync(aborted).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (aborted.IsCancellationRequested)
            {
                // The page went away.
            }
        }
    }
}
