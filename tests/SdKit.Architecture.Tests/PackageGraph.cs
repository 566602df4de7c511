using System.Reflection;

namespace SdKit.Architecture.Tests;

/// <summary>The libraries as built, and what each backend owns (its own assemblies and the client library it wraps).</summary>
internal static class PackageGraph
{
    public static readonly Assembly Core = typeof(SdKit.Client.IDiscoveryClient).Assembly;

    public static readonly Assembly ZooKeeperClient = typeof(SdKit.ZooKeeper.Client.ZooKeeperClient).Assembly;

    public static readonly Assembly ZooKeeper = typeof(SdKit.ZooKeeper.Discovery.ZooKeeperDiscoveryClient).Assembly;

    public static readonly Assembly Etcd = typeof(SdKit.Etcd.EtcdDiscoveryClient).Assembly;

    public static readonly Assembly Hosting = typeof(SdKit.Hosting.ISdKitBuilder).Assembly;

    public static readonly Assembly Grpc = typeof(SdKit.Grpc.SdKitGrpcOptions).Assembly;

    public static readonly Assembly Yarp = typeof(SdKit.Yarp.SdKitYarpOptions).Assembly;

    /// <summary>The tool: it references every backend, so it is the deliberately wrong input of the rule checks.</summary>
    public static readonly Assembly Cli = Assembly.Load("SdKit.Cli");

    /// <summary>Each backend and the assemblies that are its own: another backend must reference none of them.</summary>
    public static readonly IReadOnlyList<(Assembly Backend, string[] Owns)> Backends =
    [
        (ZooKeeper, ["SdKit.ZooKeeper", "SdKit.ZooKeeper.Client"]),
        (Etcd, ["SdKit.Etcd", "dotnet-etcd"]),
    ];

    /// <summary>What the core must never see: backends, hosting, the tool, gRPC and YARP (assemblies, or prefixes of them).</summary>
    public static readonly string[] NotForTheCore =
        ["SdKit.ZooKeeper", "SdKit.Etcd", "SdKit.Hosting", "SdKit.Cli", "SdKit.Grpc", "SdKit.Yarp", "dotnet-etcd", "Grpc", "Yarp", "Microsoft.Extensions.Hosting"];

    /// <summary>The same, as namespaces that a type of the core must not use.</summary>
    public static readonly string[] NamespacesNotForTheCore =
        ["SdKit.ZooKeeper", "SdKit.Etcd", "SdKit.Hosting", "SdKit.Cli", "SdKit.Grpc", "SdKit.Yarp", "dotnet_etcd", "Etcdserverpb", "Grpc", "Yarp", "Microsoft.Extensions.Hosting"];

    /// <summary>The core's namespaces: a type of the standalone ZooKeeper client must use none of them.</summary>
    public static readonly string[] CoreNamespaces =
        ["SdKit.Client", "SdKit.Instances", "SdKit.Registration", "SdKit.Endpoints", "SdKit.LoadBalancing", "SdKit.InMemory", "SdKit.Diagnostics", "SdKit.Hosting", "SdKit.ZooKeeper.Discovery", "SdKit.Etcd"];
}
