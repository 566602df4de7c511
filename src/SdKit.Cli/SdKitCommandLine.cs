using System.CommandLine;
using System.Runtime.InteropServices;
using SdKit.Cli.Commands;

namespace SdKit.Cli;

/// <summary>Builds the <c>sdkit</c> command tree and runs it with one-line errors and meaningful exit codes.</summary>
internal static class SdKitCommandLine
{
    public static RootCommand Build(TextWriter output, TextWriter error)
    {
        var backend = new BackendOptions();
        var root = new RootCommand("sdkit: service discovery at the terminal, on ZooKeeper, etcd or in memory.");
        foreach (var option in backend.All)
        {
            root.Options.Add(option);
        }

        root.Subcommands.Add(ListCommand.Create(backend, output, error));
        root.Subcommands.Add(WatchCommand.Create(backend, output, error));
        root.Subcommands.Add(RegisterCommand.Create(backend, output, error));
        root.Subcommands.Add(ServeCommand.Create(backend, output, error));
        root.Subcommands.Add(CallCommand.Create(backend, output, error));
        root.Subcommands.Add(DemoCommand.Create(backend, output, error));
        root.Subcommands.Add(DashboardCommand.Create(backend, output, error));
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var root = Build(output, error);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // One line, not the usage text: scripts read the reason, people run --help. "Required command was not
            // provided" only matters when nothing more specific went wrong.
            var reason = parsed.Errors.FirstOrDefault(e => !e.Message.StartsWith("Required command", StringComparison.Ordinal)) ?? parsed.Errors[0];
            await error.WriteLineAsync($"sdkit: error: {reason.Message} (see sdkit --help)").ConfigureAwait(false);
            return ExitCodes.BadArguments;
        }

        // Ctrl-C and SIGTERM cancel the command, which then deregisters what it registered and exits normally.
        using var terminated = new CancellationTokenSource();
        void Terminate(PosixSignalContext context)
        {
            context.Cancel = true;
            terminated.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Terminate);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Terminate);

        var invocation = new InvocationConfiguration
        {
            Output = output,
            Error = error,
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };
        return await parsed.InvokeAsync(invocation, terminated.Token).ConfigureAwait(false);
    }
}
