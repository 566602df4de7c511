using Xunit;

namespace SdKit.Cli.Tests.Support;

internal static class ToolAssert
{
    /// <summary>Asserts the tool printed exactly one error line, with no stack trace, and returns it.</summary>
    public static string OneLineError(string error)
    {
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, $"Expected one error line, got {lines.Length}:\n{error}");
        Assert.StartsWith("sdkit: error: ", lines[0], StringComparison.Ordinal);
        // A stack frame reads "at Namespace.Type.Method(": plain words such as "etcd at http://..." are fine.
        Assert.DoesNotMatch(@"\bat [A-Za-z_][\w.`<>\[\]]*\.[\w<>`]+\(", lines[0]);
        return lines[0];
    }

    /// <summary>
    /// Asserts the demo exited 0 and that the stopped server answered calls before it stopped and none after; returns
    /// the calls for further checks.
    /// </summary>
    public static (string Stopped, List<string> Before, List<string> After) DemoAvoidedTheStoppedServer(int exitCode, string output, string error)
    {
        Assert.True(exitCode == 0, $"{output}\n{error}");
        var calls = DemoCalls(output);
        Assert.Contains(calls.Stopped, calls.Before);
        Assert.DoesNotContain(calls.Stopped, calls.After);
        return calls;
    }

    /// <summary>Splits the demo's output into the addresses answering calls before and after the stop.</summary>
    private static (string Stopped, List<string> Before, List<string> After) DemoCalls(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var stopLine = Array.FindIndex(lines, l => l.StartsWith("server ", StringComparison.Ordinal) && l.EndsWith(" stopped", StringComparison.Ordinal));
        Assert.True(stopLine > 0, output);
        var stopped = lines[stopLine].Split(' ')[1];
        static string Answerer(string line) => line.Split(": ", 3)[1];
        var before = lines.Take(stopLine).Where(l => l.StartsWith("call ", StringComparison.Ordinal)).Select(Answerer).ToList();
        var after = lines.Skip(stopLine).Where(l => l.StartsWith("call ", StringComparison.Ordinal)).Select(Answerer).ToList();
        return (stopped, before, after);
    }
}
