using System.CommandLine;
using System.Net;

namespace SdKit.Cli.Commands;

/// <summary>The repeatable <c>--listen ip:port</c> option.</summary>
internal static class ListenOption
{
    public static Option<IPEndPoint[]> Create(string[] defaults, string description) => new("--listen")
    {
        Description = description,
        HelpName = "ip:port",
        AllowMultipleArgumentsPerToken = false,
        DefaultValueFactory = _ => [.. defaults.Select(IPEndPoint.Parse)],
        CustomParser = result =>
        {
            var endPoints = new List<IPEndPoint>();
            foreach (var token in result.Tokens)
            {
                if (!IPEndPoint.TryParse(token.Value, out var endPoint) || !token.Value.Contains(':', StringComparison.Ordinal))
                {
                    result.AddError($"'{token.Value}' is not an ip:port address for --listen.");
                    continue;
                }

                endPoints.Add(endPoint);
            }

            return [.. endPoints];
        },
    };
}
