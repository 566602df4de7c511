namespace SdKit.Cli;

/// <summary>The tool's exit codes.</summary>
internal static class ExitCodes
{
    /// <summary>Everything worked.</summary>
    public const int Success = 0;

    /// <summary>The command ran and failed: an unreachable registry, no instances, a failed call.</summary>
    public const int Failure = 1;

    /// <summary>The command line could not be understood.</summary>
    public const int BadArguments = 2;
}
