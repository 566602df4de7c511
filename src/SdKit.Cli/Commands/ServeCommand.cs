using System.CommandLine;
using System.Net;
using SdKit.Cli.Backends;
using SdKit.Cli.TimeService;

namespace SdKit.Cli.Commands;

/// <summary>
/// <c>sdkit serve</c>: the seed's TCP time server. Every <c>--listen</c> address answers each connection with
/// <c>&lt;ip:port&gt;: &lt;current time&gt;</c> and is registered under the path with its own session, until Ctrl-C or
/// SIGTERM; then every entry is deregistered first and the listeners close after.
/// </summary>
internal static class ServeCommand
{
    public static Command Create(BackendOptions backendOptions, TextWriter output, TextWriter error)
    {
        var listen = ListenOption.Create(["127.0.0.1:8897", "127.0.0.1:8898", "127.0.0.1:8899"], "address to serve on; repeat for several servers (default: the seed's 127.0.0.1:8897, :8898, :8899)");
        var layout = LayoutOption.Create(RegistrationLayout.Named);
        var command = new Command("serve", "Run the seed's TCP time servers and register each under --path until Ctrl-C or SIGTERM.") { listen, layout };
        command.SetGuardedAction(error, async (result, cancellationToken) =>
        {
            var backend = new Backend(backendOptions.Read(result));
            var servers = new List<RegisteredTimeServer>();
            try
            {
                foreach (var endPoint in result.GetValue(listen)!)
                {
                    var server = await RegisteredTimeServer.StartAsync(backend, endPoint, result.GetValue(layout), cancellationToken).ConfigureAwait(false);
                    servers.Add(server);
                    await output.WriteLineAsync($"serving {server.Address}, registered under {backend.Settings.Path}").ConfigureAwait(false);
                }

                await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                try
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Ctrl-C or SIGTERM: deregister every server before any listener closes.
                }

                foreach (var server in servers)
                {
                    await server.DeregisterAsync().ConfigureAwait(false);
                    await output.WriteLineAsync($"deregistered {server.Address}").ConfigureAwait(false);
                }

                return ExitCodes.Success;
            }
            finally
            {
                foreach (var server in servers)
                {
                    await server.DisposeAsync().ConfigureAwait(false);
                }
            }
        });
        return command;
    }
}
