using System.CommandLine;
using System.Net;
using Microsoft.Extensions.Logging;
using SdKit.Cli.Backends;
using SdKit.Cli.Dashboard.Browsing;
using SdKit.Cli.Dashboard.Live;
using SdKit.Cli.Dashboard.Web;
using SdKit.Client;
using SdKit.Etcd;
using SdKit.ZooKeeper.Discovery;

namespace SdKit.Cli.Commands;

/// <summary>
/// <c>sdkit dashboard</c>: a live, read-only web page of every service under <c>--path</c> on ZooKeeper or etcd,
/// served on loopback unless <c>--allow-remote</c> says otherwise, until Ctrl-C or SIGTERM.
/// </summary>
internal static class DashboardCommand
{
    /// <summary>The address the page is served on by default.</summary>
    public const string DefaultListen = "127.0.0.1:8080";

    public static Command Create(BackendOptions backendOptions, TextWriter output, TextWriter error)
    {
        var listen = new Option<IPEndPoint>("--listen")
        {
            Description = $"address to serve the page on; a loopback address unless --allow-remote (default {DefaultListen})",
            HelpName = "ip:port",
            DefaultValueFactory = _ => IPEndPoint.Parse(DefaultListen),
            CustomParser = result =>
            {
                var text = result.Tokens.Count == 0 ? string.Empty : result.Tokens[^1].Value;
                if (IPEndPoint.TryParse(text, out var endPoint) && text.Contains(':', StringComparison.Ordinal))
                {
                    return endPoint;
                }

                result.AddError($"'{text}' is not an ip:port address for --listen.");
                return IPEndPoint.Parse(DefaultListen);
            },
        };
        var allowRemote = new Option<bool>("--allow-remote")
        {
            Description = "allow a --listen address other than loopback (the page has no authentication: whoever reaches it sees the registry)",
        };
        var command = new Command("dashboard", "Serve a live, read-only web page of every service under --path: instances, owners, ages, a timeline and a count plot.") { listen, allowRemote };
        command.SetGuardedAction(error, async (result, cancellationToken) =>
        {
            var settings = backendOptions.Read(result);
            if (settings.Kind == BackendKind.Memory)
            {
                throw new CliException("the dashboard shows a ZooKeeper or etcd registry: pass --zk or --etcd");
            }

            var endPoint = result.GetValue(listen)!;
            if (!IPAddress.IsLoopback(endPoint.Address))
            {
                if (!result.GetValue(allowRemote))
                {
                    throw new CliException($"--listen {endPoint} is not a loopback address; the dashboard has no authentication, so serving it to other machines needs --allow-remote");
                }

                await error.WriteLineAsync($"sdkit: warning: the dashboard on {endPoint} is reachable from other machines and has no authentication: whoever reaches it sees every service and instance under {settings.Path}").ConfigureAwait(false);
            }

            var backend = new Backend(settings);
            await using var client = await backend.ConnectAsync(RegistrationLayout.Protected, cancellationToken).ConfigureAwait(false);
            using var loggerFactory = LoggerFactory.Create(DashboardLogging.Configure);
            await using var browser = CreateBrowser(client, settings.Path, loggerFactory);
            await using var dashboard = new RegistryDashboard(client, browser, settings.Kind == BackendKind.Etcd ? "etcd" : "ZooKeeper", RegistryText(settings), settings.Path, TimeProvider.System, loggerFactory);
            dashboard.Start();
            var feed = new DashboardFeed(dashboard, TimeProvider.System, loggerFactory.CreateLogger<DashboardFeed>());
            feed.Start();
            try
            {
                await using var server = await DashboardServer.StartAsync(endPoint, feed, cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync($"dashboard on {server.Address} ({settings.Description}, services under {settings.Path}); read-only, Ctrl-C to stop").ConfigureAwait(false);
                await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                try
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Ctrl-C or SIGTERM: end the open event streams first, so the server stops at once.
                }

                await feed.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                await feed.DisposeAsync().ConfigureAwait(false);
            }

            await output.WriteLineAsync("dashboard stopped").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The registry's address for the page: the servers or endpoints, with any user information in a URL left out.</summary>
    internal static string RegistryText(BackendSettings settings)
    {
        if (settings.Kind != BackendKind.Etcd)
        {
            return settings.ZooKeeperHosts ?? string.Empty;
        }

        var urls = (settings.EtcdUrls ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Join(",", urls.Select(url => Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0
            ? new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty }.Uri.GetLeftPart(UriPartial.Path).TrimEnd('/')
            : url));
    }

    private static IRegistryBrowser CreateBrowser(IDiscoveryClient client, string root, ILoggerFactory loggerFactory) => client switch
    {
        ZooKeeperDiscoveryClient zooKeeper => new ZooKeeperRegistryBrowser(zooKeeper, root, TimeProvider.System, loggerFactory.CreateLogger<ZooKeeperRegistryBrowser>()),
        EtcdDiscoveryClient etcd => new EtcdRegistryBrowser(etcd, root, TimeProvider.System, loggerFactory.CreateLogger<EtcdRegistryBrowser>()),
        _ => throw new CliException("the dashboard shows a ZooKeeper or etcd registry: pass --zk or --etcd"),
    };
}
