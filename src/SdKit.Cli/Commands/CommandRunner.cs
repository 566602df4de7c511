using System.CommandLine;
using SdKit.Client;

namespace SdKit.Cli.Commands;

/// <summary>
/// Runs a command's body and turns every failure into one line on standard error and an exit code: the tool
/// never shows a stack trace.
/// </summary>
internal static class CommandRunner
{
    public static void SetGuardedAction(this Command command, TextWriter error, Func<ParseResult, CancellationToken, Task<int>> body)
        => command.SetAction(async (result, cancellationToken) =>
        {
            try
            {
                return await body(result, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl-C or SIGTERM while nothing was left to clean up.
                return ExitCodes.Success;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                await error.WriteLineAsync($"sdkit: error: {Describe(ex)}").ConfigureAwait(false);
                return ExitCodes.Failure;
            }
        });

    /// <summary>
    /// One line for an exception: its message, with the innermost cause when that adds something. Never the
    /// exception's type name: a user reads what went wrong, not how the code calls it.
    /// </summary>
    public static string Describe(Exception ex)
    {
        var message = Message(ex);
        var root = ex;
        while (root.InnerException is not null)
        {
            root = root.InnerException;
        }

        // A CliException already says what happened in the tool's words; others gain their root cause.
        if (ex is not CliException && !ReferenceEquals(root, ex) && !message.Contains(Message(root), StringComparison.Ordinal))
        {
            message = $"{message} ({Message(root)})";
        }

        return message.ReplaceLineEndings(" ");
    }

    /// <summary>The message alone, without the <c>(Parameter 'x')</c> that argument exceptions append.</summary>
    public static string Message(Exception ex)
        => ex is ArgumentException { ParamName: { } name } argument
            ? argument.Message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal)
            : ex.Message;
}
