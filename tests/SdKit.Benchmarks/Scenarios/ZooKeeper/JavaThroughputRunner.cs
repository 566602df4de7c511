using System.Diagnostics;

namespace SdKit.Benchmarks.Scenarios.ZooKeeper;

/// <summary>
/// Compiles <c>java/ZkThroughput.java</c> with javac against Debian's ZooKeeper jars and runs it with the same
/// settings, so the official Java client is measured on the same server and machine.
/// </summary>
internal static class JavaThroughputRunner
{
    private const string JavaDirectory = "/usr/share/java";
    private static readonly string[] s_jars = ["zookeeper.jar", "zookeeper-jute.jar", "slf4j-api.jar", "slf4j-nop.jar"];

    public static async Task<int> RunAsync(ThroughputSettings settings, CancellationToken cancellationToken)
    {
        var source = Path.Combine(AppContext.BaseDirectory, "java", "ZkThroughput.java");
        if (!File.Exists(source))
        {
            throw new ArgumentException($"The Java workload '{source}' is missing from the build output.");
        }

        var classPath = string.Join(':', s_jars.Select(j => Path.Combine(JavaDirectory, j)));
        var output = Directory.CreateTempSubdirectory("sdkit-zk-java-").FullName;
        try
        {
            var compiled = await RunProcessAsync("javac", ["-cp", classPath, "-d", output, source], cancellationToken).ConfigureAwait(false);
            if (compiled != 0)
            {
                return compiled;
            }

            string[] arguments =
            [
                "-Xmx512m", "-cp", $"{output}:{classPath}", "ZkThroughput", settings.ConnectString, settings.Mode,
                settings.Ops.ToString(System.Globalization.CultureInfo.InvariantCulture),
                settings.Concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
                settings.Children.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ];
            return await RunProcessAsync("java", arguments, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    private static async Task<int> RunProcessAsync(string fileName, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(fileName) { UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start '{fileName}'.");
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return process.ExitCode;
    }
}
