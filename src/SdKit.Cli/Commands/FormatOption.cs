using System.CommandLine;
using SdKit.Instances.Codecs;

namespace SdKit.Cli.Commands;

/// <summary>
/// The <c>--format</c> option: which layout the instance strings are in (<see cref="InstanceFormats.Names"/>), for
/// the typed fields that <c>list/watch --json</c> print and the value that <c>register</c> writes.
/// </summary>
internal static class FormatOption
{
    public static Option<string?> Create(string description) => new("--format")
    {
        Description = description,
        HelpName = string.Join('|', InstanceFormats.Names),
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 0 ? string.Empty : result.Tokens[^1].Value;
            if (InstanceFormats.IsKnown(text))
            {
                return text.ToLowerInvariant();
            }

            result.AddError($"'{text}' is not an instance format for --format (use {string.Join(", ", InstanceFormats.Names)}).");
            return null;
        },
    };
}
