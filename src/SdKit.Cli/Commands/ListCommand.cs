using System.CommandLine;
using SdKit.Cli.Backends;
using SdKit.Cli.Output;
using SdKit.Instances.Codecs;

namespace SdKit.Cli.Commands;

/// <summary><c>sdkit list</c>: the instances registered under the path, once.</summary>
internal static class ListCommand
{
    public static Command Create(BackendOptions backendOptions, TextWriter output, TextWriter error)
    {
        var json = new Option<bool>("--json") { Description = "print one line {\"instances\":[...],\"error\":null}; with --format also \"format\", \"typed\" and \"failures\"" };
        var format = FormatOption.Create("decode the instances in this format and print their typed fields with --json");
        var command = new Command("list", "List the instances registered under --path.") { json, format };
        command.SetGuardedAction(error, async (result, cancellationToken) =>
        {
            var backend = new Backend(backendOptions.Read(result));
            await using var client = await backend.ConnectAsync(RegistrationLayout.Protected, cancellationToken).ConfigureAwait(false);
            var instances = await backend.WithTimeoutAsync(token => client.ListAsync(backend.Settings.Path, token).AsTask(), "answer", cancellationToken).ConfigureAwait(false);
            var sorted = instances.Order(StringComparer.Ordinal).ToList();
            if (result.GetValue(json))
            {
                var chosen = result.GetValue(format);
                await output.WriteLineAsync(InstancesJson.Format(sorted, null, chosen, chosen is null ? null : InstanceFormats.CreateCodec(chosen, backend.Settings.Path))).ConfigureAwait(false);
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
