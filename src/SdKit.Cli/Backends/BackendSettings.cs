namespace SdKit.Cli.Backends;

/// <summary>The backend chosen on the command line.</summary>
internal sealed record BackendSettings(BackendKind Kind, string Path, TimeSpan Timeout)
{
    public string? ZooKeeperHosts { get; init; }

    public string? EtcdUrls { get; init; }

    public string? EtcdUser { get; init; }

    public string? EtcdPassword { get; init; }

    public string? EtcdCa { get; init; }

    public string? EtcdCert { get; init; }

    public string? EtcdKey { get; init; }

    /// <summary>Gets a short description for messages: <c>ZooKeeper 127.0.0.1:2181</c>.</summary>
    public string Description => Kind switch
    {
        BackendKind.ZooKeeper => $"ZooKeeper {ZooKeeperHosts}",
        BackendKind.Etcd => $"etcd {EtcdUrls}",
        _ => "the in-memory registry",
    };
}
