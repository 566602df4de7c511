using System.CommandLine;
using System.Reactive.Linq;
using SdKit.Cli.Backends;
using SdKit.Registration;

namespace SdKit.Cli.Commands;

/// <summary><c>sdkit register</c>: registers one instance and holds it until Ctrl-C or SIGTERM, then deregisters.</summary>
internal static class RegisterCommand
{
    public static Command Create(BackendOptions backendOptions, TextWriter output, TextWriter error)
    {
        var instance = new Option<string>("--instance") { Description = "the instance to register, for example 127.0.0.1:8080 or http://127.0.0.1:8080", Required = true };
        var layout = LayoutOption.Create(RegistrationLayout.Protected);
        var format = FormatOption.Create("how the instance is stored: plain (the string as given, the default; curator with --layout curator) or a JSON format that carries --meta, --weight and --zone");
        var meta = new Option<string[]>("--meta") { Description = "metadata key=value (repeatable), for example --meta version=1.4", HelpName = "key=value" };
        var weight = new Option<int?>("--weight") { Description = "relative weight for weighted balancing (default 1)" };
        var zone = new Option<string?>("--zone") { Description = "the instance's zone, for zone-aware balancing" };
        var command = new Command("register", "Register an instance under --path until Ctrl-C or SIGTERM, then deregister it.") { instance, layout, format, meta, weight, zone };
        command.SetGuardedAction(error, async (result, cancellationToken) =>
        {
            var backend = new Backend(backendOptions.Read(result));
            var chosenLayout = result.GetValue(layout);
            var (value, id) = RegisteredValue.Create(
                backend.Settings.Path, result.GetValue(instance)!, result.GetValue(format), chosenLayout, result.GetValue(meta) ?? [], result.GetValue(weight), result.GetValue(zone));
            var entry = backend.Entry(value, chosenLayout, id);
            await using var client = await backend.ConnectAsync(chosenLayout, cancellationToken).ConfigureAwait(false);
            await using var registrar = new Registrar(client, entry);
            await backend.WithTimeoutAsync(async token => { await registrar.RegisterAsync(token).ConfigureAwait(false); return true; }, "accept the registration", cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync($"registered {entry.Instance} under {entry.ServicePath}").ConfigureAwait(false);
            await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            using var states = registrar.StateChanges.Skip(1).Subscribe(state => output.WriteLine($"registration {state.ToString().ToLowerInvariant()}"));
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C or SIGTERM: deregister below, bounded by the timeout.
            }

            states.Dispose();
            await backend.WithTimeoutAsync(async token => { await registrar.DeregisterAsync(token).ConfigureAwait(false); return true; }, "accept the deregistration", CancellationToken.None).ConfigureAwait(false);
            await output.WriteLineAsync($"deregistered {entry.Instance} from {entry.ServicePath}").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
