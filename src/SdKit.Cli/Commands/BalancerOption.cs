using System.CommandLine;
using SdKit.Cli.TimeService;

namespace SdKit.Cli.Commands;

/// <summary>The <c>--balancer random|round-robin|least-outstanding</c> option.</summary>
internal static class BalancerOption
{
    public static Option<BalancerKind> Create(BalancerKind defaultKind) => new("--balancer")
    {
        Description = "how to pick an instance per call",
        HelpName = "random|round-robin|least-outstanding",
        DefaultValueFactory = _ => defaultKind,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 0 ? string.Empty : result.Tokens[^1].Value;
            switch (text.ToUpperInvariant())
            {
                case "RANDOM":
                    return BalancerKind.Random;
                case "ROUND-ROBIN":
                    return BalancerKind.RoundRobin;
                case "LEAST-OUTSTANDING":
                    return BalancerKind.LeastOutstanding;
                default:
                    result.AddError($"'{text}' is not a balancer for --balancer (use random, round-robin or least-outstanding).");
                    return defaultKind;
            }
        },
    };
}
