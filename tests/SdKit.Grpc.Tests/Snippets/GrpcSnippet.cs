using Grpc.Core;
using Grpc.Net.Client.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SdKit.Transports.TestBackend;

namespace SdKit.Grpc.Tests.Snippets;

/// <summary>docs/grpc.md's gRPC example, compiled and run by <see cref="TransportSnippetTests"/>.</summary>
internal static class GrpcSnippet
{
    public static IHost Build(string zooKeeperConnectString)
    {
        // begin-snippet: grpc-client
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSdKit().AddZooKeeper(o => o.Connection.ConnectString = zooKeeperConnectString);
        builder.Services.AddSdKitGrpc(); // sdkit:/// resolver, least outstanding by default

        // A call that could not reach its instance (refused, reset, server going away) is tried on another pick.
        var retryUnavailable = new MethodConfig
        {
            Names = { MethodName.Default },
            RetryPolicy = new RetryPolicy
            {
                MaxAttempts = 4,
                InitialBackoff = TimeSpan.FromMilliseconds(20),
                MaxBackoff = TimeSpan.FromMilliseconds(500),
                BackoffMultiplier = 2,
                RetryableStatusCodes = { StatusCode.Unavailable },
            },
        };
        builder.Services.AddGrpcClient<Greeter.GreeterClient>(o => o.Address = new Uri("sdkit:///greeter"))
            .ConfigureChannel(channel => channel.ServiceConfig = new ServiceConfig { MethodConfigs = { retryUnavailable } });
        var host = builder.Build();
        // end-snippet
        return host;
    }
}
