using System.Diagnostics;
using System.Security.Cryptography;

namespace SdKit.ZooKeeper.Tests.Curator;

/// <summary>
/// The Java peer (<c>Curator/Peer/CuratorPeer.java</c>), compiled once per test run with javac against Debian's Curator
/// 5.4 jars in <c>/usr/share/java</c>. The classes are cached under <c>artifacts/curator-peer/&lt;hash of the
/// source&gt;/</c>, so a changed source is compiled again and an unchanged one is not.
/// </summary>
internal static class CuratorPeerProgram
{
    /// <summary>Where Debian installs Java libraries.</summary>
    public const string JavaLibraries = "/usr/share/java";

    /// <summary>How to install what the peer needs.</summary>
    public const string InstallHint = "Install them with scripts/install-backends.sh (apt-get install -y --no-install-recommends default-jdk-headless libcurator-discovery-java libcurator-framework-java libcurator-recipes-java).";

    // curator-recipes: ServiceCache and ServiceProvider; slf4j-simple: Curator's and ZooKeeper's logging to stderr.
    private static readonly string[] Jars =
    [
        "curator-x-discovery.jar", "curator-recipes.jar", "curator-framework.jar", "curator-client.jar", "zookeeper.jar", "zookeeper-jute.jar",
        "guava.jar", "jackson-databind.jar", "jackson-core.jar", "jackson-annotations.jar", "slf4j-api.jar", "slf4j-simple.jar",
    ];

    private static readonly Lazy<Task<CuratorPeerClasses>> s_build = new(BuildAsync);

    /// <summary>Gets the Java source of the peer.</summary>
    public static string Source => Path.Combine(SdKit.Testing.RepositoryRoot.Path, "tests", "SdKit.ZooKeeper.Tests", "Curator", "Peer", "CuratorPeer.java");

    /// <summary>Returns the compiled peer, compiling it on the first call of the test run.</summary>
    /// <exception cref="InvalidOperationException">The JDK or a Curator jar is missing, or javac failed; the message says how to install them.</exception>
    public static Task<CuratorPeerClasses> GetAsync() => s_build.Value;

    private static async Task<CuratorPeerClasses> BuildAsync()
    {
        var javac = Find("javac") ?? throw new InvalidOperationException($"The Java compiler ('javac') is not installed, so the Curator peer cannot be compiled. {InstallHint}");
        var java = Find("java") ?? throw new InvalidOperationException($"Java ('java') is not installed, so the Curator peer cannot run. {InstallHint}");
        var missing = Jars.Select(jar => Path.Combine(JavaLibraries, jar)).Where(jar => !File.Exists(jar)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"The Curator peer needs {string.Join(", ", missing)}, which are not installed. {InstallHint}");
        }

        var classPath = string.Join(':', Jars.Select(jar => Path.Combine(JavaLibraries, jar)));
        var output = Path.Combine(SdKit.Testing.RepositoryRoot.Path, "artifacts", "curator-peer", SourceHash());
        var classes = new CuratorPeerClasses(java, $"{output}:{classPath}");
        if (File.Exists(Path.Combine(output, "CuratorPeer.class")))
        {
            return classes;
        }

        // Compiled beside the target and moved into place, so a parallel test run never sees half the classes.
        var partial = $"{output}.{Guid.NewGuid():N}.partial";
        Directory.CreateDirectory(partial);
        var info = new ProcessStartInfo(javac) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-nowarn", "-encoding", "UTF-8", "-d", partial, "-cp", classPath, Source })
        {
            info.ArgumentList.Add(argument);
        }

        using (var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start '{javac}'."))
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5)).ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"javac failed on {Source} with exit code {process.ExitCode}: {await stdout.ConfigureAwait(false)}{await stderr.ConfigureAwait(false)} {InstallHint}");
            }
        }

        try
        {
            Directory.Move(partial, output);
        }
        catch (IOException) when (File.Exists(Path.Combine(output, "CuratorPeer.class")))
        {
            // Another test run compiled the same source first.
            Directory.Delete(partial, recursive: true);
        }

        return classes;
    }

    private static string? Find(string program)
        => (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(File.Exists);

    private static string SourceHash() => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Source)))[..16];
}

/// <summary>How to run the compiled peer.</summary>
/// <param name="Java">The java launcher.</param>
/// <param name="ClassPath">The peer's classes and the jars it needs.</param>
internal sealed record CuratorPeerClasses(string Java, string ClassPath);
