using System.Globalization;
using SdKit.Cli.Backends;
using SdKit.Instances;
using SdKit.Instances.Codecs;

namespace SdKit.Cli.Commands;

/// <summary>
/// What <c>register</c> writes for <c>--instance</c> with <c>--meta</c>, <c>--weight</c>, <c>--zone</c> and
/// <c>--format</c>: the string as given in the plain format, or the typed instance encoded by the format's codec.
/// </summary>
internal static class RegisteredValue
{
    /// <summary>Returns the value to register and, for the Curator layout, the node's id.</summary>
    /// <exception cref="CliException">An option is malformed or asks for what the format cannot carry; the message names it.</exception>
    public static (string Value, string? Id) Create(string path, string instance, string? format, RegistrationLayout layout, string[] meta, int? weight, string? zone)
    {
        if (layout == RegistrationLayout.Curator && format is not null && format != InstanceFormats.Curator)
        {
            throw new CliException($"--layout curator stores Curator's JSON: --format '{format}' does not go with it (leave --format out or use curator).");
        }

        var chosen = format ?? (layout == RegistrationLayout.Curator ? InstanceFormats.Curator : InstanceFormats.Plain);
        var typedOptions = meta.Length > 0 ? "--meta" : weight is not null ? "--weight" : zone is not null ? "--zone" : null;
        if (chosen == InstanceFormats.Plain)
        {
            if (typedOptions is not null)
            {
                throw new CliException($"{typedOptions} needs a format that carries it: add --format sdkit-json or --format curator (the plain format is the bare string).");
            }

            return (instance, null);
        }

        if (layout == RegistrationLayout.Named)
        {
            throw new CliException($"--layout named keeps no data, so --format '{chosen}' cannot be stored: use --layout protected or curator.");
        }

        ServiceInstance parsed;
        try
        {
            parsed = ServiceInstance.FromRaw(instance);
        }
        catch (FormatException ex)
        {
            throw new CliException($"--instance: {ex.Message}", ex);
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in meta)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new CliException($"--meta '{pair}' is not key=value.");
            }

            metadata[pair[..equals]] = pair[(equals + 1)..];
        }

        if (weight is <= 0)
        {
            throw new CliException($"--weight {weight.Value.ToString(CultureInfo.InvariantCulture)} must be greater than zero.");
        }

        // Curator names every instance with a UUID; the other formats keep the address as the id, as FromRaw does.
        var id = chosen == InstanceFormats.Curator ? Guid.NewGuid().ToString() : parsed.Id;
        var typed = new ServiceInstance(id, parsed.Host, parsed.Port, parsed.Scheme, metadata, weight ?? 1, zone);
        var value = InstanceFormats.CreateCodec(chosen, path).Encode(typed);
        return (value, layout == RegistrationLayout.Curator ? id : null);
    }
}
