namespace SdKit.Cli;

/// <summary>The <c>sdkit</c> entry point.</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        try
        {
            return await SdKitCommandLine.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Last line of defence: whatever escaped the commands is still one line, never a stack trace.
            await Console.Error.WriteLineAsync($"sdkit: error: {Commands.CommandRunner.Describe(ex)}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }
}
