namespace SdKit.Cli.Tests.Support;

/// <summary>
/// The tool pointed at one real registry: every command line it runs starts with the backend option
/// (<c>--etcd URLS</c> or <c>--zk HOSTS</c>) and the <c>--timeout</c>, as a user would type them.
/// </summary>
/// <param name="Option">The backend option, <c>--etcd</c> or <c>--zk</c>.</param>
/// <param name="Address">The registry's address as the option takes it.</param>
/// <param name="Description">How the tool names the registry in its messages (<c>etcd http://127.0.0.1:2379</c>).</param>
/// <param name="Timeout">The <c>--timeout</c>; by default <see cref="Patience"/>.</param>
internal sealed record RegistryTool(string Option, string Address, string Description, string Timeout = RegistryTool.Patience)
{
    /// <summary>The registry timeout for commands expected to succeed: generous, the test machine is shared.</summary>
    public const string Patience = "30s";

    /// <summary>Gets the options that follow the backend on every command line: etcd's TLS files and credentials.</summary>
    public IReadOnlyList<string> Connection { get; init; } = [];

    /// <summary>Gets environment variables for the tool's process (for example <c>SDKIT_ETCD_PASSWORD</c>).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public static RegistryTool Etcd(string endpoints) => new("--etcd", endpoints, $"etcd {endpoints}");

    public static RegistryTool ZooKeeper(string connectString) => new("--zk", connectString, $"ZooKeeper {connectString}");

    /// <summary>Runs <paramref name="command"/> to its end (see <see cref="SdKitTool.RunAsync"/>).</summary>
    public Task<(int ExitCode, string Output, string Error)> RunAsync(string command, params string[] arguments)
        => SdKitTool.RunAsync(Environment, CommandLine(command, arguments));

    /// <summary>Starts <paramref name="command"/> (see <see cref="SdKitTool.Start"/>).</summary>
    public SdKitTool Start(string command, params string[] arguments)
        => SdKitTool.Start(Environment, CommandLine(command, arguments));

    private string[] CommandLine(string command, string[] arguments) => [command, Option, Address, .. Connection, "--timeout", Timeout, .. arguments];
}
