namespace SdKit.Testing.ZooKeeper;

/// <summary>Where Debian's zookeeper package puts the server, and the hint when it is missing.</summary>
public static class ZooKeeperInstallation
{
    /// <summary>The hint appended to every failure to start a server.</summary>
    public const string InstallHint = "Install ZooKeeper and Java with scripts/install-backends.sh (apt-get install zookeeper default-jre-headless).";

    /// <summary>The system property that lets a member without quorum serve reads (ZooKeeper's read-only mode).</summary>
    public const string ReadOnlyModeOption = "-Dreadonlymode.enabled=true";

    private const string JavaDirectory = "/usr/share/java";

    private static readonly string[] s_jars =
    [
        "zookeeper.jar", "zookeeper-jute.jar", "slf4j-api.jar", "slf4j-simple.jar", "netty-handler.jar", "netty-common.jar",
        "netty-buffer.jar", "netty-transport.jar", "netty-codec.jar", "netty-resolver.jar", "netty-transport-native-epoll.jar",
        "netty-transport-native-unix-common.jar", "commons-cli.jar", "metrics-core.jar", "snappy-java.jar",
        "jackson-databind.jar", "jackson-core.jar", "jackson-annotations.jar",
    ];

    /// <summary>Gets the java executable.</summary>
    public static string Java => File.Exists("/usr/bin/java") ? "/usr/bin/java" : "java";

    /// <summary>Returns the server class path, or throws with the install hint when the jars are missing.</summary>
    public static string ClassPath()
    {
        var missing = s_jars.Select(j => Path.Combine(JavaDirectory, j)).Where(p => !File.Exists(p)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"ZooKeeper cannot start: missing {string.Join(", ", missing)}. {InstallHint}");
        }

        return string.Join(':', s_jars.Select(j => Path.Combine(JavaDirectory, j)));
    }

    /// <summary>The JVM options every test server gets: small heap, fast start, TTL nodes, quick container checks.</summary>
    public static IEnumerable<string> JvmOptions(string logDirectory) =>
    [
        "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.net.preferIPv4Stack=true",
        "-Dzookeeper.extendedTypesEnabled=true", "-Dznode.container.checkIntervalMs=300",
        "-Dznode.container.maxNeverUsedIntervalMs=300", "-Dzookeeper.admin.enableServer=false",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=info", $"-Dzookeeper.log.dir={logDirectory}",
    ];
}
