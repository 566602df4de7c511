using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SdKit.Transports.TestBackend;

/// <summary>
/// Builds the backend from command-line style settings: <c>--urls http://127.0.0.1:PORT</c>, <c>--Service NAME</c>,
/// <c>--Registry zookeeper|etcd</c> with <c>--SdKit:ZooKeeper:ConnectString</c> or <c>--SdKit:Etcd:Endpoints</c>,
/// <c>--TtlSeconds N</c> (the ZooKeeper session timeout or the etcd lease TTL) and <c>--Protocols Http2|Http1</c>
/// (gRPC without TLS needs HTTP/2 only; YARP's backends speak HTTP/1.1).
/// </summary>
public static class TransportBackend
{
    /// <summary>Builds the application (not started).</summary>
    /// <param name="args">The settings, as on the command line.</param>
    /// <returns>The application.</returns>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        var config = builder.Configuration;
        var url = config["urls"] ?? throw new InvalidOperationException("--urls http://127.0.0.1:PORT is required.");
        var service = config["Service"] ?? throw new InvalidOperationException("--Service NAME is required.");
        var ttl = TimeSpan.FromSeconds(config.GetValue("TtlSeconds", 2));
        var protocols = config.GetValue("Protocols", HttpProtocols.Http2);
        builder.Logging.SetMinimumLevel(config.GetValue("LogLevel", LogLevel.Warning));
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = protocols));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(new BackendIdentity(url));
        var sdkit = builder.Services.AddSdKit();
        switch (config["Registry"] ?? "zookeeper")
        {
            case "zookeeper":
                sdkit.AddZooKeeper(options => options.Connection.SessionTimeout = ttl);
                break;
            case "etcd":
                sdkit.AddEtcd(options => options.LeaseTtl = ttl);
                break;
            case var other:
                throw new InvalidOperationException($"--Registry '{other}' is neither zookeeper nor etcd.");
        }

        sdkit.AddRegistration(service, url);
        var app = builder.Build();
        app.MapGrpcService<GreeterService>();
        app.MapGet("/", (BackendIdentity identity) =>
        {
            identity.Served();
            return identity.Url;
        });
        return app;
    }
}
