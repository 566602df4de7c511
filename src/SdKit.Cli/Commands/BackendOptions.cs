using System.CommandLine;
using System.CommandLine.Parsing;
using SdKit.Cli.Backends;

namespace SdKit.Cli.Commands;

/// <summary>The backend options every command takes (<c>--zk</c>, <c>--etcd</c> with auth and TLS, <c>--memory</c>, <c>--path</c>).</summary>
internal sealed class BackendOptions
{
    public const string DefaultPath = "/go_servers";

    public Option<string?> ZooKeeper { get; } = new("--zk")
    {
        Description = "ZooKeeper servers, HOST:PORT[,HOST:PORT...][/chroot]",
        HelpName = "HOSTS[/chroot]",
        Recursive = true,
    };

    public Option<string?> Etcd { get; } = new("--etcd")
    {
        Description = "etcd endpoints, URL[,URL...] (http:// or https://)",
        HelpName = "URLS",
        Recursive = true,
    };

    public Option<string?> EtcdUser { get; } = new("--etcd-user") { Description = "etcd user name", Recursive = true };

    public Option<string?> EtcdPassword { get; } = new("--etcd-password") { Description = "etcd password (or SDKIT_ETCD_PASSWORD)", Recursive = true };

    public Option<FileInfo?> EtcdCa { get; } = new("--etcd-ca") { Description = "CA certificate (PEM) to trust for https etcd endpoints", Recursive = true };

    public Option<FileInfo?> EtcdCert { get; } = new("--etcd-cert") { Description = "client certificate (PEM) for etcd", Recursive = true };

    public Option<FileInfo?> EtcdKey { get; } = new("--etcd-key") { Description = "client certificate key (PEM) for etcd", Recursive = true };

    public Option<bool> Memory { get; } = new("--memory") { Description = "use an in-memory registry inside this process (the default)", Recursive = true };

    public Option<string> Path { get; } = new("--path")
    {
        Description = "service path",
        DefaultValueFactory = _ => DefaultPath,
        Recursive = true,
    };

    public Option<TimeSpan> Timeout { get; } = new("--timeout")
    {
        Description = "how long to wait for the registry",
        DefaultValueFactory = _ => TimeSpan.FromSeconds(10),
        CustomParser = Durations.Parse,
        Recursive = true,
    };

    public IEnumerable<Option> All => [ZooKeeper, Etcd, EtcdUser, EtcdPassword, EtcdCa, EtcdCert, EtcdKey, Memory, Path, Timeout];

    /// <summary>Reads the backend settings; throws <see cref="CliException"/> for contradictions.</summary>
    public BackendSettings Read(ParseResult result)
    {
        var zk = result.GetValue(ZooKeeper);
        var etcd = result.GetValue(Etcd);
        var memory = result.GetValue(Memory);
        var chosen = (zk is null ? 0 : 1) + (etcd is null ? 0 : 1) + (memory ? 1 : 0);
        if (chosen > 1)
        {
            throw new CliException("choose one backend: --zk, --etcd or --memory");
        }

        var path = result.GetValue(Path) ?? DefaultPath;
        var kind = zk is not null ? BackendKind.ZooKeeper : etcd is not null ? BackendKind.Etcd : BackendKind.Memory;
        try
        {
            // One trailing '/' is dropped (the seed's etcd prefix is 'services/'); etcd keys need no leading '/'.
            path = SdKit.Client.ServicePaths.Normalize(path, "--path");
            if (kind == BackendKind.ZooKeeper)
            {
                SdKit.ZooKeeper.Client.ZooKeeperPaths.Validate(path, sequential: false, "--path");
            }
        }
        catch (ArgumentException ex)
        {
            throw new CliException($"--path: {ex.Message.Split(" (Parameter", 2)[0]}", ex);
        }

        if (kind != BackendKind.Etcd && !path.StartsWith('/'))
        {
            throw new CliException($"--path '{path}' must start with '/'");
        }

        if (kind != BackendKind.Etcd && (result.GetValue(EtcdUser) ?? result.GetValue(EtcdPassword)) is not null)
        {
            throw new CliException("--etcd-user and --etcd-password need --etcd");
        }

        return new BackendSettings(kind, path, result.GetValue(Timeout))
        {
            ZooKeeperHosts = zk,
            EtcdUrls = etcd,
            EtcdUser = result.GetValue(EtcdUser),
            EtcdPassword = result.GetValue(EtcdPassword) ?? Environment.GetEnvironmentVariable("SDKIT_ETCD_PASSWORD"),
            EtcdCa = result.GetValue(EtcdCa)?.FullName,
            EtcdCert = result.GetValue(EtcdCert)?.FullName,
            EtcdKey = result.GetValue(EtcdKey)?.FullName,
        };
    }
}
