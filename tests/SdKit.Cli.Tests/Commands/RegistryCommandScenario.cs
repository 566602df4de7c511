using SdKit.Cli.Tests.Support;
using Xunit;

namespace SdKit.Cli.Tests.Commands;

/// <summary>What the tool must do the same way on every real registry; a backend's test class supplies only its <see cref="Tool"/>.</summary>
public abstract class RegistryCommandScenario
{
    /// <summary>Gets the tool pointed at the test's registry.</summary>
    internal abstract RegistryTool Tool { get; }

    [Fact]
    public async Task Demo_RealRegistry_StopsChoosingTheStoppedServer()
    {
        var (exitCode, output, error) = await Tool.RunAsync("demo", "--path", $"/demo/{Tool.Option.TrimStart('-')}");

        ToolAssert.DemoAvoidedTheStoppedServer(exitCode, output, error);
        Assert.StartsWith($"demo on {Tool.Description}", output, StringComparison.Ordinal);
    }
}
