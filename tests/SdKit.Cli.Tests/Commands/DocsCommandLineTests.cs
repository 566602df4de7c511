using Xunit;

namespace SdKit.Cli.Tests.Commands;

public sealed class DocsCommandLineTests
{
    [Fact]
    public void Parse_EveryCommandLineInTheDocs_HasNoErrors()
    {
        var root = RepositoryRoot();
        var commandLines = new[] { "docs/cli.md", "docs/getting-started.md" }
            .SelectMany(document => File.ReadAllLines(Path.Combine(root, document)))
            .Select(line => line.Trim())
            .Where(line => line.StartsWith("sdkit ", StringComparison.Ordinal))
            .Select(line => line.Split('#')[0].Trim())
            .ToList();
        var command = SdKitCommandLine.Build(TextWriter.Null, TextWriter.Null);

        var failures = commandLines
            .Select(line => (line, errors: command.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]).Errors))
            .Where(parsed => parsed.errors.Count > 0)
            .Select(parsed => $"{parsed.line}: {parsed.errors[0].Message}");

        Assert.True(commandLines.Count >= 9, $"Only {commandLines.Count} command lines found.");
        Assert.Empty(failures);
    }

    private static string RepositoryRoot() => SdKit.Testing.RepositoryRoot.Path;
}
