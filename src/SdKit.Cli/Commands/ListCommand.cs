using System.CommandLine;
using SdKit.Cli.Backends;
using SdKit.Cli.Output;

namespace SdKit.Cli.Commands;

/// <summary><c>sdkit list</c>: the instances registered under the path, once.</summary>
internal static class ListCommand
{
    public static Command Create(BackendOptions backendOptions, TextWriter output, TextWriter error)
    {
        var json = new Option<bool>("--json") { Description = "print one line {\"instances\":[...],\"error\":null}" };
        var command = new Command("list", "List the instances registered under --path.") { json };
        command.SetGuardedAction(error, async (result, cancellationToken) =>
        {
            var backend = new Backend(backendOptions.Read(result));
            await using var client = await backend.ConnectAsync(RegistrationLayout.Protected, cancellationToken).ConfigureAwait(false);
            var instances = await backend.WithTimeoutAsync(token => client.ListAsync(backend.Settings.Path, token).AsTask(), "answer", cancellationToken).ConfigureAwait(false);
            var sorted = instances.Order(StringComparer.Ordinal).ToList();
            if (result.GetValue(json))
            {
                await output.WriteLineAsync(InstancesJson.Format(sorted, null)).ConfigureAwait(false);
            }
            else
            {
                foreach (var instance in sorted)
                {
                    await output.WriteLineAsync(instance).ConfigureAwait(false);
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
