using System.CommandLine;
using SdKit.Cli.Backends;

namespace SdKit.Cli.Commands;

/// <summary>The <c>--layout protected|named|curator</c> option of <c>register</c> and <c>serve</c>.</summary>
internal static class LayoutOption
{
    public static Option<RegistrationLayout> Create(RegistrationLayout defaultLayout) => new("--layout")
    {
        Description = "entry layout: protected (go-kit: protected ephemeral sequential node), named (the seed: a node named ip:port) or curator (ZooKeeper: Curator x-discovery's node named by id, Curator JSON data)",
        HelpName = "protected|named|curator",
        DefaultValueFactory = _ => defaultLayout,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 0 ? string.Empty : result.Tokens[^1].Value;
            switch (text.ToUpperInvariant())
            {
                case "PROTECTED":
                    return RegistrationLayout.Protected;
                case "NAMED":
                    return RegistrationLayout.Named;
                case "CURATOR":
                    return RegistrationLayout.Curator;
                default:
                    result.AddError($"'{text}' is not a layout for --layout (use protected, named or curator).");
                    return defaultLayout;
            }
        },
    };
}
