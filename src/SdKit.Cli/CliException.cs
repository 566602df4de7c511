namespace SdKit.Cli;

/// <summary>
/// A failure the tool reports as one line on standard error with a non-zero exit code, never a stack trace:
/// an unreachable registry, an address in use, a service with no instances.
/// </summary>
internal sealed class CliException : Exception
{
    public CliException()
    {
    }

    public CliException(string message)
        : base(message)
    {
    }

    public CliException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
